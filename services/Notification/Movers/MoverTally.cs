using DealRisk.Contracts;

namespace DealRisk.Notification.Movers;

/// <summary>A deal that moved, with its main reason.</summary>
public sealed record Mover(DealRiskScore Score, int Delta, string PreviousLevel, string MainReason);

/// <summary>The day's movers: deals newly critical, the biggest risers and fallers; bounded, folded one score at a time.</summary>
public sealed class MoverTally(int count = 10)
{
    private readonly PriorityQueue<Mover, (int, decimal)> _newlyCritical = new();
    private readonly PriorityQueue<Mover, int> _risers = new();
    private readonly PriorityQueue<Mover, int> _fallers = new();

    public void Add(DealRiskScore score)
    {
        if (score.Movement is not { } movement || movement.Delta == 0 && movement.PreviousLevel == score.Level)
            return;
        var mover = new Mover(score, movement.Delta, movement.PreviousLevel, MovementText.TopChange(movement));
        if (score.Level == RiskLevels.Critical && movement.PreviousLevel != RiskLevels.Critical)
            Keep(_newlyCritical, mover, (score.Score, score.Deal.Amount ?? 0));
        if (movement.Delta > 0) Keep(_risers, mover, movement.Delta);
        if (movement.Delta < 0) Keep(_fallers, mover, -movement.Delta);
    }

    public MoverSummary Build() => new(Drain(_newlyCritical), Drain(_risers), Drain(_fallers));

    private void Keep<TPriority>(PriorityQueue<Mover, TPriority> queue, Mover mover, TPriority priority)
    {
        if (queue.Count < count)
            queue.Enqueue(mover, priority);
        else if (queue.TryPeek(out _, out var lowest) && Comparer<TPriority>.Default.Compare(priority, lowest) > 0)
            queue.EnqueueDequeue(mover, priority);
    }

    private static IReadOnlyList<Mover> Drain<TPriority>(PriorityQueue<Mover, TPriority> queue) =>
        queue.UnorderedItems.OrderByDescending(item => item.Priority).Select(item => item.Element).ToList();
}

public sealed record MoverSummary(IReadOnlyList<Mover> NewlyCritical, IReadOnlyList<Mover> Risers, IReadOnlyList<Mover> Fallers)
{
    public static readonly MoverSummary None = new([], [], []);
    public bool IsEmpty => NewlyCritical.Count == 0 && Risers.Count == 0 && Fallers.Count == 0;
}
