using DealRisk.Scoring.Storage;

namespace DealRisk.Scoring.Modeling;

/// <summary>What the served-model lookup found: a model, the rules (and why), or a model that could not be loaded.</summary>
public sealed record ServedModelLookup(ServedRiskModel? Model, string? RefusedVersion = null, string? Failure = null, string? RulesReason = null)
{
    /// <summary>Which scorer serves and why, as every scored message says it.</summary>
    public string ScoredBy => Model is not null ? ScorerStatement.Model(Model.Record) : ScorerStatement.Rules(Failure ?? RulesReason);
}

/// <summary>
/// The model scoring serves, loaded once per version and re-checked in the store every few seconds, so a promotion
/// or fallback made by another instance is picked up. A model that cannot be loaded is reported once and not retried.
/// </summary>
public sealed class ServedModels(ScoreStore store, TimeProvider time, ILogger<ServedModels> logger)
{
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ServedRiskModel> _earlier = new(StringComparer.Ordinal);
    private ServedRiskModel? _model;
    private string? _rulesReason;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    public async Task<ServedModelLookup> CurrentAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _checkedAt < RecheckEvery)
            return Remembered();

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _checkedAt < RecheckEvery)
                return Remembered();
            var choice = await store.ServedChoice.GetAsync(ScoreStore.CurrentChoiceId, cancellationToken);
            if (choice?.ModelVersion is not { } version)
                return Remember(null, choice?.Reason);
            if (_model?.Record.ModelVersion == version)
                return Remember(_model);

            var record = await store.Models.GetAsync(version, cancellationToken);
            try
            {
                if (record is null)
                    throw new InvalidDataException($"Model {version} is not in the store.");
                if (record.LevelCutoffs is null)
                    throw new InvalidDataException($"Model {version} was trained before models kept level cut-offs of their own; train again.");
                var model = RiskModel.Load(record.ModelBytes, new PlattCalibration(record.CalibrationA, record.CalibrationB), record.FeatureNames, record.Seed);
                logger.LogInformation("Serving model {ModelVersion}", version);
                return Remember(new ServedRiskModel(record, model));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Model {ModelVersion} refused: it could not be loaded; rules take over", version);
                if (await ChangeAsync(current => current?.ModelVersion == version, RulesChoice($"Model {version} refused: {exception.Message}"), cancellationToken))
                    Remember(null);
                return new ServedModelLookup(null, version, $"Model {version} could not be loaded ({exception.GetType().Name}: {exception.Message}); scoring fell back to rules.");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A model by version, served now or not (the one a batch was pinned to); loaded once per version.</summary>
    public async Task<ServedRiskModel> LoadAsync(string version, CancellationToken cancellationToken)
    {
        if (_model?.Record.ModelVersion == version)
            return _model;
        if (_earlier.TryGetValue(version, out var loaded))
            return loaded;
        var record = await store.Models.GetAsync(version, cancellationToken)
            ?? throw new InvalidDataException($"Model {version} is not in the store.");
        var model = new ServedRiskModel(record, RiskModel.Load(record.ModelBytes, new PlattCalibration(record.CalibrationA, record.CalibrationB), record.FeatureNames, record.Seed));
        return _earlier.GetOrAdd(version, model);
    }

    public async Task ServeAsync(ModelRecord record, string reason, CancellationToken cancellationToken)
    {
        await ChangeAsync(_ => true, new ServedModelChoice { ModelVersion = record.ModelVersion, Reason = reason, Since = time.GetUtcNow() }, cancellationToken);
        _checkedAt = DateTimeOffset.MinValue;
    }

    /// <summary>Records why the rules serve while no model does (a training run the gate refused); false when a model is served.</summary>
    public async Task<bool> KeepRulesBecauseAsync(string reason, CancellationToken cancellationToken)
    {
        if (!await ChangeAsync(current => current?.ModelVersion is null, RulesChoice(reason), cancellationToken))
            return false;
        Remember(null, reason);
        return true;
    }

    /// <summary>Switches to the rules if this model version is still the one served; false when another chunk or instance already did.</summary>
    public async Task<bool> ServeRulesInsteadOfAsync(string modelVersion, string reason, CancellationToken cancellationToken)
    {
        if (!await ChangeAsync(current => current?.ModelVersion == modelVersion, RulesChoice(reason), cancellationToken))
            return false;
        Remember(null, reason);
        return true;
    }

    private ServedModelChoice RulesChoice(string reason) => new() { ModelVersion = null, Reason = reason, Since = time.GetUtcNow() };

    /// <summary>
    /// Writes the choice if <paramref name="applies"/> to the stored one and nobody changed it since it was read (a
    /// conditional write on its revision), so of several replicas deciding at once exactly one hands over.
    /// </summary>
    private async Task<bool> ChangeAsync(Func<ServedModelChoice?, bool> applies, ServedModelChoice next, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await store.ServedChoice.GetAsync(ScoreStore.CurrentChoiceId, cancellationToken);
            if (!applies(current))
                return false;
            var revision = (current?.Revision ?? 0) + 1;
            if (await store.ServedChoice.UpsertIfNewerAsync(ScoreStore.CurrentChoiceId, revision, next with { Revision = revision }, cancellationToken))
                return true;
        }
    }

    private ServedModelLookup Remember(ServedRiskModel? model, string? rulesReason = null)
    {
        _model = model;
        _rulesReason = model is null ? rulesReason : null;
        _checkedAt = time.GetUtcNow();
        return Remembered();
    }

    private ServedModelLookup Remembered() => new(_model, RulesReason: _rulesReason);
}
