using DealRisk.Contracts;
using DealRisk.Contracts.Tracking;

namespace DealRisk.SyntheticCrm;

/// <summary>
/// Places a planned deal on the calendar and takes the export: replays the planned changes up to the
/// export instant, so the current values are by construction what the history ends in.
/// </summary>
internal sealed class SnapshotBuilder
{
    public const int MaxActivityDates = 40;

    private readonly DealScript _script;
    private readonly DateTimeOffset _createdAt;
    private readonly DateTimeOffset _exportTime;
    private readonly double _timeScale;

    /// <summary>Which of the deal's missing key fields keeps each tracked field out of this export.</summary>
    private static readonly (TrackedField Field, KeyFields KeyField)[] Tracked =
    [
        (TrackedFields.Stage, KeyFields.None), (TrackedFields.Amount, KeyFields.Amount), (TrackedFields.CloseDate, KeyFields.CloseDate),
        (TrackedFields.Owner, KeyFields.Owner), (TrackedFields.NextStep, KeyFields.NextStep), (TrackedFields.ContactCount, KeyFields.ContactCount),
    ];

    private readonly List<DealChange> _history;
    private readonly Dictionary<string, (string? Text, DateTimeOffset SetAt)> _values;
    private DateTimeOffset? _closedAt;

    public SnapshotBuilder(DealScript script, DateTimeOffset createdAt, DateTimeOffset exportTime, double timeScale)
    {
        _script = script;
        _createdAt = createdAt;
        _exportTime = exportTime;
        _timeScale = timeScale;
        _history = new List<DealChange>(script.Changes.Count);
        _values = new Dictionary<string, (string?, DateTimeOffset)>(StringComparer.Ordinal)
        {
            [DealFields.Stage] = (null, createdAt),
            [DealFields.Amount] = (TrackedFields.Amount.Format(script.InitialAmount), createdAt),
            [DealFields.CloseDate] = (TrackedFields.FormatDate(DateAt(script.InitialCloseDay)), createdAt),
            [DealFields.Owner] = (SyntheticReps.Name(script.InitialRep), createdAt),
            [DealFields.ContactCount] = (TrackedFields.ContactCount.Format(script.InitialContacts), createdAt),
            [DealFields.NextStep] = (script.InitialNextStep, createdAt),
        };
    }

    public DealSnapshot Build(int index)
    {
        foreach (var change in _script.Changes)
        {
            var at = TimeAt(change.Day);
            if (at >= _exportTime)
                break;
            Apply(change, at);
        }

        var (activityCount, activityDates) = ActivitiesBeforeExport();
        var missing = _script.Missing;
        var lastActivityAt = activityDates.Length > 0 && Has(KeyFields.LastActivityAt) ? activityDates[^1] : (DateTimeOffset?)null;
        var updatedAt = Max(_history.Count > 0 ? _history[^1].At : _createdAt, lastActivityAt ?? _createdAt);
        var stage = _values[DealFields.Stage].Text ?? throw new InvalidOperationException("A deal is always created in a stage.");
        var traits = _script.Traits;

        var deal = new DealSnapshot
        {
            Source = SyntheticCrmGenerator.Source,
            ExternalId = $"SYN-{index + 1:0000000}",
            Version = _history.Count + 1,
            Name = _script.Name,
            Account = _script.Account,
            Stage = stage,
            SourceStage = SyntheticStages.SourceStageFor(stage),
            CreatedAt = _createdAt,
            ClosedAt = _closedAt,
            IsClosed = _closedAt is not null,
            IsWon = stage == DealStages.ClosedWon,
            LeadSource = Has(KeyFields.LeadSource) ? traits.LeadSource : null,
            Industry = Has(KeyFields.Industry) ? traits.Industry : null,
            Region = Has(KeyFields.Region) ? traits.Region : null,
            Product = traits.Product,
            LastActivityAt = lastActivityAt,
            ActivityCount = Has(KeyFields.LastActivityAt) ? activityCount : null,
            ActivityDates = Has(KeyFields.LastActivityAt) ? activityDates : [],
            History = _history.ToArray(),
            UpdatedAt = updatedAt,
        };
        foreach (var (field, keyField) in Tracked)
        {
            var (text, setAt) = _values[field.Name];
            deal = Has(keyField) ? field.Changed(deal, text, setAt) : field.WithText(deal, null);
        }
        return deal;

        bool Has(KeyFields field) => (missing & field) == 0;
    }

    /// <summary>Records the change unless it changes nothing or this record does not keep the field.</summary>
    private void Apply(PlannedChange change, DateTimeOffset at)
    {
        var to = change.Field == DealFields.CloseDate ? TrackedFields.FormatDate(DateAt(change.Number)) : change.Text;
        var (from, setAt) = _values[change.Field];
        var kept = Tracked.First(tracked => tracked.Field.Name == change.Field).KeyField;
        if (from != to && (_script.Missing & kept) == 0)
        {
            _history.Add(new DealChange { At = at, Field = change.Field, From = from, To = to });
            setAt = at;
        }
        _values[change.Field] = (to, setAt);
        if (change.Field == DealFields.Stage && DealStages.IsClosed(to))
            _closedAt = at;
    }

    private (int Count, DateTimeOffset[] Dates) ActivitiesBeforeExport()
    {
        var days = _script.ActivityDays;
        var count = 0;
        while (count < days.Count && TimeAt(days[count]) < _exportTime)
            count++;
        var kept = Math.Min(count, MaxActivityDates);
        var dates = new DateTimeOffset[kept];
        for (var i = 0; i < kept; i++)
            dates[i] = TimeAt(days[count - kept + i]);
        return (count, dates);
    }

    private DateTimeOffset TimeAt(double day) => _createdAt.AddSeconds(Math.Round(day * _timeScale * 86_400.0));

    private DateOnly DateAt(double day) => DateOnly.FromDateTime(TimeAt(day).UtcDateTime);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
