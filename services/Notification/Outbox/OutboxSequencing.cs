namespace DealRisk.Notification.Outbox;

/// <summary>Keeps a group's messages in order across channels: a message waits while an earlier one of its group is pending.</summary>
public static class OutboxSequencing
{
    public static IReadOnlyList<OutboxMessage> NotWaitingOnEarlier(IReadOnlyCollection<OutboxMessage> pending)
    {
        var firstPending = pending
            .Where(m => m.SequenceGroup is not null)
            .GroupBy(m => m.SequenceGroup!)
            .ToDictionary(group => group.Key, group => group.Min(m => m.Sequence));
        return pending.Where(m => m.SequenceGroup is null || m.Sequence <= firstPending[m.SequenceGroup]).ToList();
    }
}
