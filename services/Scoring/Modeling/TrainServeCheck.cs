using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>A feature the training snapshots and today's open deals disagree on: how often each has it, and how much of its distribution moved.</summary>
public sealed record FeatureMismatch(string Feature, double TrainingPresence, double OpenPresence, double Shift)
{
    public string Describe() => Math.Abs(TrainingPresence - OpenPresence) >= 0.5
        ? string.Create(CultureInfo.InvariantCulture, $"{Feature} (present in {TrainingPresence:0%} of training snapshots, {OpenPresence:0%} of open deals)")
        : string.Create(CultureInfo.InvariantCulture, $"{Feature} ({Shift:0%} of its distribution differs between training snapshots and open deals)");
}

/// <summary>
/// Compares every feature between the training snapshots and the deals open now, which a model would serve. A
/// feature whose presence or distribution differs sharply (total variation distance over its deciles and its
/// missing share at least <see cref="MaximumShift"/>) would teach the model what it cannot see when serving, as a
/// field filled in only at close does: it is left out of the model, by name.
/// </summary>
public sealed record TrainServeCheck(double MaximumShift = 0.5, int MinimumOpenDeals = 30)
{
    public IReadOnlyList<FeatureMismatch> Mismatches(
        IReadOnlyList<string> featureNames, IReadOnlyList<TrainingExample> training, IReadOnlyList<PopulationSnapshot> openNow)
    {
        if (openNow.Count < MinimumOpenDeals || training.Count == 0)
            return [];
        var mismatches = new List<FeatureMismatch>();
        for (var feature = 0; feature < featureNames.Count; feature++)
        {
            var trained = training.Select(example => example.Vector.Values[feature]).ToList();
            var open = openNow.Select(snapshot => snapshot.Values[feature]).ToList();
            var shift = FeatureBins.FromValues(featureNames[feature], trained).Shift(open);
            if (shift >= MaximumShift)
                mismatches.Add(new FeatureMismatch(featureNames[feature], Presence(trained), Presence(open), shift));
        }
        return mismatches;
    }

    private static double Presence(IReadOnlyList<double?> values) => values.Count(value => value is not null) / (double)values.Count;
}
