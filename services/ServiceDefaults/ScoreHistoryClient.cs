using System.ComponentModel.DataAnnotations;
using DealRisk.Contracts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DealRisk.ServiceDefaults;

/// <summary>How long a service waits for scoring to answer a deal's score history (<c>ScoreHistory__RequestTimeout</c>).</summary>
public sealed class ScoreHistoryClientOptions
{
    public const string SectionName = "ScoreHistory";

    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Asks scoring for one deal's score history over the bus (request/response, on RabbitMQ and in memory alike), bounded
/// by <see cref="ScoreHistoryClientOptions.RequestTimeout"/>: null when scoring did not answer in time or failed to.
/// </summary>
public sealed partial class ScoreHistoryClient(
    IRequestClient<GetDealScoreHistory> client, IOptions<ScoreHistoryClientOptions> options, ILogger<ScoreHistoryClient> logger)
{
    public async Task<IReadOnlyList<HistoricScore>?> GetAsync(string source, string externalId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetResponse<DealScoreHistoryFound>(
                new GetDealScoreHistory { Source = source, ExternalId = externalId }, cancellationToken, RequestTimeout.After(ms: (int)options.Value.RequestTimeout.TotalMilliseconds));
            return response.Message.Scores;
        }
        catch (RequestTimeoutException)
        {
            LogTimedOut(options.Value.RequestTimeout);
            return null;
        }
        catch (RequestFaultException fault)
        {
            LogFaulted(fault.Fault?.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown");
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring did not answer a score history request within {Timeout}.")]
    private partial void LogTimedOut(TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring failed to answer a score history request ({ExceptionType}).")]
    private partial void LogFaulted(string exceptionType);
}

public static class ScoreHistoryClientExtensions
{
    /// <summary>Reads deal score histories from scoring; the request's exchange is declared at start-up with the service's other messages.</summary>
    public static IServiceCollection AddScoreHistoryClient(this IServiceCollection services)
    {
        services.AddOptions<ScoreHistoryClientOptions>().BindConfiguration(ScoreHistoryClientOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ScoreHistoryClient>();
        return services;
    }
}
