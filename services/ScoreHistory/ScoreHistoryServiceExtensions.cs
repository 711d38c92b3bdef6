using DealRisk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DealRisk.ScoreHistory;

public static class ScoreHistoryServiceExtensions
{
    /// <summary>Keeps score history in the store registered under <paramref name="serviceName"/>, retention from <c>ScoreHistory__RetentionDays</c>.</summary>
    public static IServiceCollection AddScoreHistory(this IServiceCollection services, string serviceName)
    {
        services.AddOptions<ScoreHistoryOptions>().BindConfiguration(ScoreHistoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IScoreHistory>(provider => new ScoreHistoryLog(
            provider.GetRequiredKeyedService<IDocumentStore>(serviceName),
            provider.GetRequiredService<IOptions<ScoreHistoryOptions>>(),
            provider.GetRequiredService<ILogger<ScoreHistoryLog>>()));
        return services;
    }
}
