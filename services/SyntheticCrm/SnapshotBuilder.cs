using System.Globalization;
using DealRisk.Contracts;

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

    private readonly List<DealChange> _history;
    private string? _stage;
    private DateTimeOffset? _closedAt;
    private decimal _amount;
    private DateOnly _closeDate;
    private string _owner;
    private int _contacts;
    private string? _nextStep;
    private DateTimeOffset _nextStepUpdatedAt;

    public SnapshotBuilder(DealScript script, DateTimeOffset createdAt, DateTimeOffset exportTime, double timeScale)
    {
        _script = script;
        _createdAt = createdAt;
        _exportTime = exportTime;
        _timeScale = timeScale;
        _history = new List<DealChange>(script.Changes.Count);
        _amount = script.InitialAmount;
        _closeDate = DateAt(script.InitialCloseDay);
        _owner = SyntheticReps.Name(script.InitialRep);
        _contacts = script.InitialContacts;
        _nextStep = script.InitialNextStep;
        _nextStepUpdatedAt = createdAt;
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
        var stage = _stage ?? throw new InvalidOperationException("A deal is always created in a stage.");
        var traits = _script.Traits;

        return new DealSnapshot
        {
            Source = SyntheticCrmGenerator.Source,
            ExternalId = $"SYN-{index + 1:0000000}",
            Version = _history.Count + 1,
            Name = _script.Name,
            Account = _script.Account,
            Owner = Has(KeyFields.Owner) ? _owner : null,
            Amount = Has(KeyFields.Amount) ? _amount : null,
            Stage = stage,
            SourceStage = SyntheticStages.SourceStageFor(stage),
            CreatedAt = _createdAt,
            CloseDate = Has(KeyFields.CloseDate) ? _closeDate : null,
            ClosedAt = _closedAt,
            IsClosed = _closedAt is not null,
            IsWon = stage == DealStages.ClosedWon,
            LeadSource = Has(KeyFields.LeadSource) ? traits.LeadSource : null,
            Industry = Has(KeyFields.Industry) ? traits.Industry : null,
            Region = Has(KeyFields.Region) ? traits.Region : null,
            Product = traits.Product,
            NextStep = Has(KeyFields.NextStep) ? _nextStep : null,
            NextStepUpdatedAt = Has(KeyFields.NextStep) ? _nextStepUpdatedAt : null,
            LastActivityAt = lastActivityAt,
            ActivityCount = Has(KeyFields.LastActivityAt) ? activityCount : null,
            ActivityDates = Has(KeyFields.LastActivityAt) ? activityDates : [],
            ContactCount = Has(KeyFields.ContactCount) ? _contacts : null,
            History = _history.ToArray(),
            UpdatedAt = updatedAt,
        };

        bool Has(KeyFields field) => (missing & field) == 0;
    }

    private void Apply(PlannedChange change, DateTimeOffset at)
    {
        switch (change.Field)
        {
            case DealFields.Stage:
                Record(at, DealFields.Stage, _stage, change.Text, KeyFields.None);
                _stage = change.Text;
                if (DealStages.IsClosed(_stage))
                    _closedAt = at;
                break;
            case DealFields.Amount:
                var amount = (decimal)change.Number;
                Record(at, DealFields.Amount, Format(_amount), Format(amount), KeyFields.Amount);
                _amount = amount;
                break;
            case DealFields.CloseDate:
                var closeDate = DateAt(change.Number);
                Record(at, DealFields.CloseDate, Format(_closeDate), Format(closeDate), KeyFields.CloseDate);
                _closeDate = closeDate;
                break;
            case DealFields.Owner:
                Record(at, DealFields.Owner, _owner, change.Text, KeyFields.Owner);
                _owner = change.Text!;
                break;
            case DealFields.ContactCount:
                var contacts = (int)change.Number;
                Record(at, DealFields.ContactCount, Format(_contacts), Format(contacts), KeyFields.ContactCount);
                _contacts = contacts;
                break;
            case DealFields.NextStep:
                if (Record(at, DealFields.NextStep, _nextStep, change.Text, KeyFields.NextStep))
                    _nextStepUpdatedAt = at;
                _nextStep = change.Text;
                break;
        }
    }

    /// <summary>Skips no-op changes and changes to fields this record does not keep.</summary>
    private bool Record(DateTimeOffset at, string field, string? from, string? to, KeyFields keyField)
    {
        if (from == to || (_script.Missing & keyField) != 0)
            return false;
        _history.Add(new DealChange { At = at, Field = field, From = from, To = to });
        return true;
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

    private static string Format(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    private static string Format(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
