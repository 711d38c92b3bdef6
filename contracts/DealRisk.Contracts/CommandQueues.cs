namespace DealRisk.Contracts;

/// <summary>
/// The queue each command is sent to: a command has one handler, so it goes to that service's queue rather than being
/// published to whoever subscribes. The consuming service names its endpoint with the same constant.
/// </summary>
public static class CommandQueues
{
    public const string RunDailyBatch = "run-daily-batch";
    public const string ResyncDeals = "resync-deals";
    public const string RetrainModel = "build-training-set";

    private static readonly Dictionary<Type, string> ByCommand = new()
    {
        [typeof(RunDailyBatch)] = RunDailyBatch,
        [typeof(ResyncDeals)] = ResyncDeals,
        [typeof(RetrainModel)] = RetrainModel,
    };

    /// <summary>The queue of a command type; a type that is no command is a programming error.</summary>
    public static string Of<TCommand>() where TCommand : class =>
        ByCommand.TryGetValue(typeof(TCommand), out var queue)
            ? queue
            : throw new InvalidOperationException($"{typeof(TCommand).Name} is not a command: publish it instead of sending it.");
}
