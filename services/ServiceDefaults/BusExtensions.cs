using DealRisk.ServiceDefaults.BatchPriority;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DealRisk.ServiceDefaults;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit on the configured transport with every consumer the caller adds, endpoints named in kebab-case.
    /// RabbitMQ: durable queues, publisher confirms, retry then delayed redelivery (with the delayed-exchange plugin) or
    /// retries held for minutes (without it), faults to <c>_error</c> queues, which <see cref="ErrorQueueWatch"/> reports.
    /// </summary>
    public static IServiceCollection AddDealRiskBus(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<IBusRegistrationConfigurator> addConsumers)
    {
        services.AddOptions<BusOptions>()
            .BindConfiguration(BusOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = configuration.GetSection(BusOptions.SectionName).Get<BusOptions>() ?? new BusOptions();
        services.TryAddSingleton(provider => BatchLaneScheduler.Shared(provider.GetRequiredService<IOptions<BusOptions>>().Value.BatchLaneNiceness));
        services.AddHostedService<BatchLaneCheck>();
        if (options.Transport == BusTransport.RabbitMq)
            services.AddHostedService<RabbitMqVirtualHostCheck>();

        if (options.Transport == BusTransport.RabbitMq && options.ErrorQueueCheckInterval > TimeSpan.Zero)
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<ReceiveQueues>();
            services.AddHostedService<ErrorQueueWatch>();
        }

        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            if (!options.UsageTelemetry)
                bus.DisableUsageTelemetry();
            addConsumers(bus);
            if (options.Transport == BusTransport.RabbitMq && options.ErrorQueueCheckInterval > TimeSpan.Zero)
                bus.AddReceiveEndpointObserver(provider => provider.GetRequiredService<ReceiveQueues>());

            switch (options.Transport)
            {
                case BusTransport.RabbitMq:
                    bus.UsingRabbitMq((context, cfg) =>
                    {
                        var rabbit = options.RabbitMq;
                        cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, host =>
                        {
                            host.Username(rabbit.Username);
                            host.Password(rabbit.Password);
                            host.PublisherConfirmation = true;
                        });
                        cfg.Durable = true;
                        cfg.PrefetchCount = options.PrefetchCount;
                        if (rabbit.DelayedExchange)
                        {
                            cfg.UseDelayedMessageScheduler();
                            cfg.UseDelayedRedelivery(r => r.Intervals(options.DelayedRedeliveries()));
                            cfg.UseMessageRetry(r => r.Intervals(options.ImmediateRetries()));
                        }
                        else
                        {
                            cfg.UseMessageRetry(r => r.Intervals(options.RetriesWithoutDelayedRedelivery()));
                        }
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                default:
                    bus.UsingInMemory((context, cfg) =>
                    {
                        cfg.UseDelayedMessageScheduler();
                        cfg.UseDelayedRedelivery(r => r.Intervals(options.DelayedRedeliveries()));
                        cfg.UseMessageRetry(r => r.Intervals(options.ImmediateRetries()));
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
            }
        });
        services.WarmUpConsumers();
        return services;
    }
}
