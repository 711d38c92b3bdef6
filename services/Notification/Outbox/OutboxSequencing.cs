namespace DealRisk.Notification.Outbox;

/// <summary>Keeps a group's messages in order across channels: a message waits while an earlier one of its group is unfinished.</summary>
public static class OutboxSequencing
{
    /// <param name="due">Messages that could be sent now.</param>
    /// <param name="unfinished">Every message not yet sent or parked (pending or being sent), <paramref name="due"/> among them.</param>
    public static IReadOnlyList<OutboxMessage> NotWaitingOnEarlier(IReadOnlyCollection<OutboxMessage> due, IReadOnlyCollection<OutboxMessage> unfinished)
    {
        var firstUnfinished = unfinished
            .Where(m => m.SequenceGroup is not null)
            .GroupBy(m => m.SequenceGroup!)
            .ToDictionary(group => group.Key, group => group.Min(m => m.Sequence));
        return due.Where(m => m.SequenceGroup is null || m.Sequence <= firstUnfinished[m.SequenceGroup]).ToList();
    }
}
