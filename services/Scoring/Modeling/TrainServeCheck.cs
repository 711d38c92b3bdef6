using System.Globalization;
using DealRisk.Contracts;

namespace DealRisk.Scoring.Modeling;

/// <summary>A feature the training snapshots and today's open deals disagree on: how often each has it, and how many open values lie outside what training saw.</summary>
public sealed record FeatureMismatch(string Feature, double TrainingPresence, double OpenPresence, double OutsideTrainingRange, double Minimum, double Maximum)
{
    public string Describe() => Math.Abs(TrainingPresence - OpenPresence) >= OutsideTrainingRange
        ? string.Create(CultureInfo.InvariantCulture, $"{Feature} (present in {TrainingPresence:0%} of training snapshots, {OpenPresence:0%} of open deals)")
        : string.Create(CultureInfo.InvariantCulture, $"{Feature} ({OutsideTrainingRange:0%} of open deals lie outside the {Minimum:0.##} to {Maximum:0.##} seen in training)");
}

/// <summary>
/// Compares every feature between the training snapshots and the deals open now, which a model would serve. A
/// feature present in one and missing in the other far more often (a field filled in only at close, or no longer
/// exported), or whose open values mostly lie outside anything training saw, would teach the model what it cannot
/// apply when serving: it is left out of the model, by name. Shape differences within the range seen are expected
/// (training pools many month ends, the open deals are one day) and are the drift monitor's business.
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
            var seen = trained.Where(value => value is not null).Select(value => value!.Value).ToList();
            var (minimum, maximum) = seen.Count == 0 ? (0d, 0d) : (seen.Min(), seen.Max());
            var outside = seen.Count == 0 ? 0 : open.Count(value => value < minimum || value > maximum) / (double)open.Count;
            var (trainingPresence, openPresence) = (Presence(trained), Presence(open));
            if (Math.Abs(trainingPresence - openPresence) >= MaximumShift || outside >= MaximumShift)
                mismatches.Add(new FeatureMismatch(featureNames[feature], trainingPresence, openPresence, outside, minimum, maximum));
        }
        return mismatches;
    }

    private static double Presence(IReadOnlyList<double?> values) => values.Count(value => value is not null) / (double)values.Count;
}
