using System.ComponentModel.DataAnnotations;
using DealRisk.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DealRisk.ServiceDefaults;

/// <summary>How long a service waits for scoring to answer a deal's score history or newest score (<c>ScoreHistory__RequestTimeout</c>).</summary>
public sealed class ScoreHistoryClientOptions
{
    public const string SectionName = "ScoreHistory";

    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Asks scoring for one deal's score history, or only its newest score, over the bus (request/response, on RabbitMQ and
/// in memory alike), bounded by <see cref="ScoreHistoryClientOptions.RequestTimeout"/>: null when scoring did not
/// answer in time or failed to.
/// </summary>
public sealed partial class ScoreHistoryClient(
    IRequestClient<GetDealScoreHistory> history,
    IRequestClient<GetDealLatestScore> latest,
    IOptions<ScoreHistoryClientOptions> options,
    ILogger<ScoreHistoryClient> logger)
{
    public async Task<IReadOnlyList<HistoricScore>?> GetAsync(string source, string externalId, CancellationToken cancellationToken) =>
        (await AskAsync<GetDealScoreHistory, DealScoreHistoryFound>(
            history, new GetDealScoreHistory { Source = source, ExternalId = externalId }, cancellationToken))?.Scores;

    /// <summary>Scoring's answer, whose <see cref="DealLatestScoreFound.Score"/> is null when it holds no score of the deal; null when it did not answer.</summary>
    public Task<DealLatestScoreFound?> GetLatestAsync(string source, string externalId, CancellationToken cancellationToken) =>
        AskAsync<GetDealLatestScore, DealLatestScoreFound>(
            latest, new GetDealLatestScore { Source = source, ExternalId = externalId }, cancellationToken);

    private async Task<TResponse?> AskAsync<TRequest, TResponse>(IRequestClient<TRequest> client, TRequest request, CancellationToken cancellationToken)
        where TRequest : class
        where TResponse : class
    {
        try
        {
            var response = await client.GetResponse<TResponse>(request, cancellationToken, RequestTimeout.After(ms: (int)options.Value.RequestTimeout.TotalMilliseconds));
            return response.Message;
        }
        catch (RequestTimeoutException)
        {
            LogTimedOut(typeof(TRequest).Name, options.Value.RequestTimeout);
            return null;
        }
        catch (RequestFaultException fault)
        {
            LogFaulted(typeof(TRequest).Name, fault.Fault?.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown");
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring did not answer {Request} within {Timeout}.")]
    private partial void LogTimedOut(string request, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring failed to answer {Request} ({ExceptionType}).")]
    private partial void LogFaulted(string request, string exceptionType);
}

public static class ScoreHistoryClientExtensions
{
    /// <summary>Reads deal score histories and newest scores from scoring; the requests' exchanges are declared at start-up with the service's other messages.</summary>
    public static IServiceCollection AddScoreHistoryClient(this IServiceCollection services)
    {
        services.AddOptions<ScoreHistoryClientOptions>().BindConfiguration(ScoreHistoryClientOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ScoreHistoryClient>();
        return services;
    }
}
