namespace DealRisk.Notification.Tests;

/// <summary>Tests that write to or capture the process-wide console: they run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
