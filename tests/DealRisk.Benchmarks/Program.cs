using System.CommandLine;
using DealRisk.Benchmarks;

var deals = new Option<int>("--deals") { DefaultValueFactory = _ => 1_000_000 };
var data = new Option<string>("--data") { DefaultValueFactory = _ => ".data/bench" };
var output = new Option<string>("--out") { DefaultValueFactory = _ => "results/bench" };

var seed = new Command("seed-batch", "Fill an embedded ingestion store with generated deals for the daily-batch benchmark.") { deals, data };
seed.SetAction(parse => DailyBatchBench.SeedAsync(parse.GetValue(deals), parse.GetValue(data)!));

var historyDays = new Option<int>("--history-days")
{
    Description = "Untimed daily batches of the days before, run first on a fresh copy of the seeded store, so the timed batch appends to an existing score history (embedded only)",
    DefaultValueFactory = _ => 2,
};
var batchTransport = new Option<string>("--transport")
{
    Description = "InMemory (default): the four services in one process on the in-memory bus; RabbitMq: four service processes on the local RabbitMQ",
    DefaultValueFactory = _ => "InMemory",
};
batchTransport.AcceptOnlyFromAmong("InMemory", "RabbitMq");
var inPlace = new Option<bool>("--in-place")
{
    Description = "Run on the seeded store itself instead of a copy (embedded only; the store is changed for good): for books too large to copy on this disk",
};
var asOf = new Option<DateOnly?>("--as-of")
{
    Description = $"The timed batch's date (default {DailyBatchBench.AsOf:yyyy-MM-dd}); with --in-place, a later date adds a morning to a store that already has history (embedded only)",
};
var batch = new Command("daily-batch", "Time the daily batch on a copy of the seeded store (embedded: after earlier days of score history).") { deals, data, output, historyDays, batchTransport, inPlace, asOf };
batch.SetAction(async parse =>
{
    var outDir = parse.GetValue(output)!;
    var openDeals = parse.GetValue(deals);
    if (parse.GetValue(batchTransport) == "RabbitMq")
    {
        var distributed = await DistributedBatchBench.RunAsync(openDeals, parse.GetValue(data)!, Path.Combine(outDir, "daily-batch-rabbitmq-report"), TimeSpan.FromMinutes(60));
        await distributed.WriteAsync(Path.Combine(outDir, $"daily-batch-rabbitmq-{openDeals}.json"));
        return;
    }
    var result = await DailyBatchBench.RunAsync(openDeals, parse.GetValue(data)!, Path.Combine(outDir, "daily-batch-report"), parse.GetValue(historyDays), parse.GetValue(inPlace),
        parse.GetValue(asOf) ?? DailyBatchBench.AsOf);
    await result.WriteAsync(Path.Combine(outDir, $"daily-batch-{openDeals}.json"));
});

var tails = new Command("report-tails", "Print, for every report in a daily-batch benchmark's store, the time from its claim to its publication.") { data };
tails.SetAction(parse => DailyBatchBench.PrintReportTailsAsync(parse.GetValue(data)!));

var rounds = new Option<int>("--rounds") { Description = "Timed passes over every open chunk", DefaultValueFactory = _ => 3 };
var featuresBatch = new Command("features-batch", "Time the feature service's batch work alone on the seeded store: deal copies loaded and featurized into chunk payloads, CPU and bytes per deal.") { deals, data, output, rounds };
featuresBatch.SetAction(async parse =>
{
    var result = await FeaturesBatchBench.RunAsync(parse.GetValue(deals), parse.GetValue(data)!, parse.GetValue(rounds));
    await result.WriteAsync(Path.Combine(parse.GetValue(output)!, $"{result.Name}.json"));
});

var rate = new Option<int>("--rate") { DefaultValueFactory = _ => 200 };
var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 60 };
var preload = new Option<int>("--preload") { DefaultValueFactory = _ => 5000 };
var warmUp = new Option<int>("--warm-up") { Description = "Seconds of the same load sent first and left out of the figures (0: measure from the cold restart)", DefaultValueFactory = _ => 0 };
var duringBatch = new Option<int>("--during-batch")
{
    Description = "Open deals of a store seeded with seed-batch (--data): run on a copy of it and send the same load again while its daily batch runs (0: not)",
    DefaultValueFactory = _ => 0,
};
var realtime = new Command("realtime", "Stage changes through HubSpot webhooks into four services on RabbitMQ: webhook → DealScored and → Slack.") { rate, seconds, preload, warmUp, duringBatch, data, output };
realtime.SetAction(async parse =>
{
    BenchResult result;
    try
    {
        var batchDeals = parse.GetValue(duringBatch);
        result = await RealtimeBench.RunAsync(parse.GetValue(rate), parse.GetValue(seconds), parse.GetValue(preload), parse.GetValue(warmUp),
            batchDeals > 0 ? new RealtimeBench.DuringBatch(batchDeals, parse.GetValue(data)!) : null);
    }
    catch (Exception e)
    {
        Console.Error.WriteLine(e);
        throw;
    }
    await result.WriteAsync(Path.Combine(parse.GetValue(output)!, parse.GetValue(warmUp) > 0 ? "realtime-warm.json" : "realtime.json"));
});

var closed = new Option<int>("--deals") { DefaultValueFactory = _ => 100_000 };
var train = new Command("train-model", "Time FastForest and FastTree training on N closed deals.") { closed, output };
train.SetAction(async parse =>
{
    var result = ModelTrainingBench.Run(parse.GetValue(closed));
    await result.WriteAsync(Path.Combine(parse.GetValue(output)!, $"model-training-{parse.GetValue(closed)}.json"));
});

var scoredDeals = new Option<int>("--deals") { DefaultValueFactory = _ => 200_000 };
var modelScoring = new Command("model-batch-scoring", "Time the model's batch scoring alone: N open deals in chunks of 5,000, CPU time and allocations per deal.") { scoredDeals, output };
modelScoring.SetAction(async parse =>
{
    var result = ModelScoringBench.Run(parse.GetValue(scoredDeals));
    await result.WriteAsync(Path.Combine(parse.GetValue(output)!, $"{result.Name}.json"));
});

var messages = new Option<int>("--messages") { DefaultValueFactory = _ => 5_000 };
var rulesOnly = new Option<bool>("--rules-only") { Description = "Serve no model: the same path scored by the rules, for comparison" };
var rescore = new Command("rescore-deal", "Time single-deal rescoring inside the scoring service: FeaturesComputed in, DealScored out.") { messages, data, output, rulesOnly };
rescore.SetAction(async parse =>
{
    var result = await RescoreBench.RunAsync(parse.GetValue(messages), Path.Combine(parse.GetValue(data)!, "rescore"), parse.GetValue(rulesOnly));
    await result.WriteAsync(Path.Combine(parse.GetValue(output)!, $"{result.Name}.json"));
});

var vhost = new Option<string>("--vhost") { Description = "A fresh RabbitMQ virtual host (the script creates and drops it)", Required = true };
var transport = new Option<string>("--transport") { Description = "RabbitMq (default) or InMemory (without the broker, for comparison)", DefaultValueFactory = _ => "RabbitMq" };
var webhooks = new Command("webhooks", "HubSpot webhook ingestion on RabbitMQ: accepted changes per second and p99 at increasing rates.") { vhost, data, output, transport };
webhooks.SetAction(async parse =>
{
    var result = await WebhookBench.RunAsync(parse.GetValue(vhost)!, Path.Combine(parse.GetValue(data)!, "webhooks"), parse.GetValue(transport)!);
    await result.WriteAsync(Path.Combine(parse.GetValue(output)!, $"{result.Name}.json"));
});

var storedOpenDeals = new Option<int>("--deals") { DefaultValueFactory = _ => 50_000 };
var batches = new Option<int>("--batches") { DefaultValueFactory = _ => 20 };
var trackRecord = new Command("track-record", "Time what every batch spends judging the deals closed since training on their score histories.") { storedOpenDeals, batches, data, output };
trackRecord.SetAction(async parse =>
{
    var result = await TrackRecordBench.RunAsync(parse.GetValue(storedOpenDeals), parse.GetValue(batches), Path.Combine(parse.GetValue(data)!, "track-record"));
    await result.WriteAsync(Path.Combine(parse.GetValue(output)!, $"{result.Name}.json"));
});

var historyDeals = new Option<int>("--deals") { Description = "Scores appended each day", DefaultValueFactory = _ => 100_000 };
var historyDepth = new Option<int>("--days") { Description = "Daily batches appended, each timed", DefaultValueFactory = _ => 60 };
var depth = new Command("history-depth", "Time each morning's score history append as the history grows day by day: the last days against the first.") { historyDeals, historyDepth, data, output };
depth.SetAction(async parse =>
{
    var result = await HistoryDepthBench.RunAsync(parse.GetValue(historyDeals), parse.GetValue(historyDepth), Path.Combine(parse.GetValue(data)!, "history-depth"));
    await result.WriteAsync(Path.Combine(parse.GetValue(output)!, $"{result.Name}.json"));
});

var root = new RootCommand("DealRisk benchmarks") { seed, batch, tails, realtime, train, rescore, webhooks, modelScoring, trackRecord, featuresBatch, depth };
return await root.Parse(args).InvokeAsync();
