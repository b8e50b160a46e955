using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Portal.Data.Live;

public static class LiveEventsExtensions
{
    /// <summary>
    /// The delivering side of the live-event path, for a process that has subscribers (a web node): the bus and the
    /// outbox tail. Publishing needs nothing but the database (<see cref="LiveEventPublishing.Publish"/>).
    /// </summary>
    public static IServiceCollection AddPortalLiveEvents(this IServiceCollection services)
    {
        services.AddOptions<LiveEventsOptions>()
            .BindConfiguration(LiveEventsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<LiveEventSignal>();
        services.TryAddSingleton<LiveEventBus>();
        services.AddHostedService<LiveEventTail>();
        return services;
    }
}
