using DealRisk.Contracts;
using DealRisk.Contracts.Tracking;

namespace DealRisk.SyntheticCrm;

/// <summary>
/// Plays one deal's life from its latent traits: the outcome is drawn first from <see cref="WinModel"/>,
/// then every risk trait is acted out before the close so it is visible while the deal is open.
/// </summary>
internal sealed class DealPlanner
{
    private static readonly string[] Stages = [.. DealStages.OpenStages];
    private static readonly double[] MedianDays = [6, 10, 12, 16, 14];
    private static readonly (int Item, double Weight)[] LostExitStages = [(0, 0.15), (1, 0.25), (2, 0.25), (3, 0.20), (4, 0.15)];
    private static readonly (int Item, double Weight)[] StartingContacts = [(1, 0.25), (2, 0.45), (3, 0.30)];

    private readonly DealRandom _random;
    private readonly DealTraits _traits;
    private readonly List<PlannedChange> _changes = new(32);
    private readonly List<(int Stage, double Enter, double Exit)> _visits = new(8);
    private double _closeDay;
    private double _activityEnd;

    private DealPlanner(DealRandom random, DealTraits traits)
    {
        _random = random;
        _traits = traits;
    }

    public static DealScript Plan(DealRandom random, int repCount)
    {
        var traits = DealTraits.Draw(random, repCount);
        return new DealPlanner(random, traits).Play(repCount);
    }

    private DealScript Play(int repCount)
    {
        var won = _random.Chance(WinModel.WinProbability(_traits));
        PlanStages(won);
        var activities = PlanActivities();
        var initialCloseDay = PlanCloseDates();
        var initialAmount = PlanAmounts();
        var initialRep = PlanOwner(repCount);
        var initialContacts = PlanContacts();
        var initialNextStep = PlanNextSteps();
        _changes.Sort(static (a, b) => a.Day != b.Day ? a.Day.CompareTo(b.Day) : a.Sequence.CompareTo(b.Sequence));

        var account = $"{_random.Pick(WordLists.AccountRoots)} {_random.Pick(WordLists.AccountSuffixes(_traits.Industry))}";
        return new DealScript
        {
            Traits = _traits,
            Won = won,
            CloseDay = _closeDay,
            Account = account,
            Name = $"{account} – {_random.Pick(WordLists.DealPhrases)}",
            InitialRep = initialRep,
            InitialAmount = initialAmount,
            InitialCloseDay = initialCloseDay,
            InitialContacts = initialContacts,
            InitialNextStep = initialNextStep,
            Changes = _changes,
            ActivityDays = activities,
            Missing = MissingKeyFields.Draw(_random),
        };
    }

    private void PlanStages(bool won)
    {
        var start = _random.Chance(0.2) ? 1 : 0;
        var last = won
            ? (_random.Chance(0.9) ? 4 : 3)
            : Math.Max(start, _random.PickWeighted(LostExitStages));
        var path = new List<int>(8);
        for (var stage = start; stage <= last; stage++)
            path.Add(stage);

        if (_traits.Regression && path.Count >= 2)
        {
            var at = _random.Between(1, path.Count - 1);
            var losesFromRegressedStage = !won && at == path.Count - 1 && _random.Chance(0.5);
            path.Insert(at + 1, path[at - 1]);
            if (!losesFromRegressedStage)
                path.Insert(at + 2, path[at]);
        }

        var day = 0.0;
        var silenceGap = _traits.Silent ? _random.Between(25.0, 70.0) : 0.0;
        for (var i = 0; i < path.Count; i++)
        {
            var median = MedianDays[path[i]] * _traits.CycleFactor;
            var duration = median * Math.Exp(0.5 * _random.Gaussian());
            if (path.IndexOf(path[i]) < i)
                duration *= 0.6;
            duration = Math.Clamp(duration, 0.5, 150.0);
            if (i == path.Count - 1)
            {
                if (_traits.Stalled)
                    duration = Math.Max(duration, median) * _random.Between(3.0, 6.0);
                if (_traits.Silent)
                    duration = Math.Max(duration, silenceGap + _random.Between(2.0, 10.0));
            }
            _visits.Add((path[i], day, day + duration));
            Add(day, DealFields.Stage, Stages[path[i]]);
            day += duration;
        }

        _closeDay = day;
        Add(day, DealFields.Stage, won ? DealStages.ClosedWon : DealStages.ClosedLost);
        _activityEnd = _traits.Silent ? _closeDay - silenceGap : Math.Max(0.2, _closeDay - _random.Between(0.0, 2.0));
    }

    private List<double> PlanActivities()
    {
        var ratePerDay = 0.25
            * (_traits.Silent ? 0.35 : 1.0)
            * (_traits.SingleThreaded ? 0.75 : 1.0)
            * (_traits.Product == "Enterprise" ? 1.2 : 1.0);
        var days = new List<double>(16);
        for (var day = _random.Between(0.0, 1.0); day < _activityEnd && days.Count < 400; day += _random.Exponential(1.0 / ratePerDay))
            days.Add(day);
        return days;
    }

    /// <summary>Pushes land around the day the old date arrives; a silent deal's date is left to go overdue.</summary>
    private double PlanCloseDates()
    {
        var realistic = _traits.Silent
            ? _activityEnd + _random.Between(0.0, 14.0)
            : _closeDay + 6.0 * _random.Gaussian();
        realistic = Math.Max(realistic, 3.0);

        if (_traits.Pushes == 0)
        {
            if (_random.Chance(0.05))
            {
                var at = _random.Between(0.2, 0.8) * _closeDay;
                var pulledIn = Math.Max(realistic - _random.Between(5.0, 20.0), at + 3.0);
                Add(at, DealFields.CloseDate, number: pulledIn);
            }
            return realistic;
        }

        var steps = new double[_traits.Pushes];
        for (var i = 0; i < steps.Length; i++)
            steps[i] = _random.Between(10.0, 35.0);
        var initial = Math.Max(5.0, realistic - steps.Sum());

        var current = initial;
        var previousPush = 0.0;
        foreach (var step in steps)
        {
            var at = Math.Max(Math.Max(current + _random.Between(-10.0, 3.0), previousPush + 0.5), 0.5);
            if (at >= _closeDay - 0.25)
                break;
            current = Math.Max(current + step, at + _random.Between(7.0, 21.0));
            Add(at, DealFields.CloseDate, number: current);
            previousPush = at;
        }
        return initial;
    }

    private decimal PlanAmounts()
    {
        var initial = _traits.Amount;
        var roll = _random.NextDouble();
        var count = roll < 0.65 ? 0 : roll < 0.90 ? 1 : 2;
        var days = new double[count];
        for (var i = 0; i < count; i++)
            days[i] = _random.Between(0.2, 0.9) * _activityEnd;
        Array.Sort(days);

        var current = initial;
        foreach (var day in days)
        {
            var next = Math.Clamp(Math.Round(current * (decimal)_random.Between(0.75, 1.25) / 500m) * 500m, 5_000m, 250_000m);
            if (next == current)
                continue;
            Add(day, DealFields.Amount, TrackedFields.Amount.Format(next));
            current = next;
        }
        return initial;
    }

    private int PlanOwner(int repCount)
    {
        if (repCount < 2 || !_random.Chance(0.07))
            return _traits.Rep;
        var previous = _random.Between(1, repCount - 1);
        if (previous >= _traits.Rep)
            previous++;
        Add(_random.Between(0.05, 0.4) * _closeDay, DealFields.Owner, SyntheticReps.Name(_traits.Rep));
        return previous;
    }

    private int PlanContacts()
    {
        if (_traits.SingleThreaded)
            return 1;
        var initial = _random.PickWeighted(StartingContacts);
        var additions = _random.Between(1, 3);
        var days = new double[additions];
        for (var i = 0; i < additions; i++)
            days[i] = (i == 0 && initial == 1 ? _random.Between(0.02, 0.15) : _random.Between(0.1, 0.85)) * _activityEnd;
        Array.Sort(days);

        var contacts = initial;
        foreach (var day in days)
        {
            contacts += _random.Chance(0.8) ? 1 : 2;
            Add(day, DealFields.ContactCount, TrackedFields.ContactCount.Format(contacts));
        }
        return initial;
    }

    /// <summary>Kept deals get a fresh next step at each stage and every couple of weeks; stale ones stop early or clear it.</summary>
    private string? PlanNextSteps()
    {
        var initial = _random.Pick(WordLists.NextSteps(Stages[_visits[0].Stage]));
        if (_traits.StaleNextStep)
        {
            var lastUpdate = 0.0;
            if (_visits.Count >= 2 && _random.Chance(0.5))
            {
                lastUpdate = _visits[1].Enter;
                Add(lastUpdate, DealFields.NextStep, _random.Pick(WordLists.NextSteps(Stages[_visits[1].Stage])));
            }
            if (_random.Chance(0.4))
                Add(Math.Max(_random.Between(0.3, 0.8) * _closeDay, lastUpdate + 0.1), DealFields.NextStep, null);
            return initial;
        }

        for (var i = 0; i < _visits.Count; i++)
        {
            var (stage, enter, exit) = _visits[i];
            if (enter >= _activityEnd)
                break;
            if (i > 0)
                Add(enter, DealFields.NextStep, _random.Pick(WordLists.NextSteps(Stages[stage])));
            var until = Math.Min(exit, _activityEnd);
            for (var day = enter + _random.Between(8.0, 20.0); day < until; day += _random.Between(8.0, 20.0))
                Add(day, DealFields.NextStep, _random.Pick(WordLists.FollowUps));
        }
        return initial;
    }

    private void Add(double day, string field, string? text = null, double number = 0) =>
        _changes.Add(new PlannedChange(day, _changes.Count, field, text, number));
}
