using DealRisk.Contracts;
using DealRisk.Notification.Reports;

namespace DealRisk.Notification.Movers;

/// <summary>A deal that moved, with its main reason.</summary>
public sealed record Mover(DealRiskScore Score, int Delta, string PreviousLevel, string MainReason);

/// <summary>The day's movers: deals newly critical, the biggest risers and fallers; bounded, folded one score at a time.</summary>
public sealed class MoverTally(int count = 10)
{
    private readonly PriorityQueue<Mover, (int, decimal)> _newlyCritical = new();
    private readonly PriorityQueue<Mover, int> _risers = new();
    private readonly PriorityQueue<Mover, int> _fallers = new();

    public void Add(DealRiskScore score) => Add(ReportRow.Of(score));

    public void Add(in ReportRow row)
    {
        var level = row.Level;
        if (row.Movement is not { } movement || movement.Delta == 0 && movement.PreviousLevel == level)
            return;
        var critical = (row.Score, row.Amount ?? 0);
        var newlyCritical = level == RiskLevels.Critical && movement.PreviousLevel != RiskLevels.Critical && Wants(_newlyCritical, critical);
        var riser = movement.Delta > 0 && Wants(_risers, movement.Delta);
        var faller = movement.Delta < 0 && Wants(_fallers, -movement.Delta);
        if (!newlyCritical && !riser && !faller)
            return;
        // Only a row that makes one of the lists becomes a mover with its score and reason.
        var mover = new Mover(row.ToScore(), movement.Delta, movement.PreviousLevel, movement.TopChange());
        if (newlyCritical) Keep(_newlyCritical, mover, critical);
        if (riser) Keep(_risers, mover, movement.Delta);
        if (faller) Keep(_fallers, mover, -movement.Delta);
    }

    public MoverSummary Build() => new(Drain(_newlyCritical), Drain(_risers), Drain(_fallers));

    private bool Wants<TPriority>(PriorityQueue<Mover, TPriority> queue, TPriority priority) =>
        queue.Count < count || queue.TryPeek(out _, out var lowest) && Comparer<TPriority>.Default.Compare(priority, lowest) > 0;

    private void Keep<TPriority>(PriorityQueue<Mover, TPriority> queue, Mover mover, TPriority priority)
    {
        if (queue.Count < count)
            queue.Enqueue(mover, priority);
        else
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
