using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Worker.Training;

namespace Portal.Worker.Webhooks;

public static class WebhookDispatcherExtensions
{
    /// <summary>The dispatcher, its validated options, its HTTP client and its background loop (part of the worker).</summary>
    public static IServiceCollection AddWebhookDispatcher(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClient(WebhookOptions.HttpClientName, client =>
            {
                // The dispatcher's own per-attempt timeout (Webhooks:TimeoutSeconds) decides; this only must not cut it short.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect would re-send the signed event somewhere the administrator did not configure (and turn POST into GET).
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
            })
            // The factory's own request logs would write each target URL, which may carry a receiver's secret path
            // (chat-service webhook URLs do); the dispatcher logs the delivery and webhook ids instead.
            .RemoveAllLoggers();
        services.AddSingleton(sp => new WebhookDispatcher(
            sp.GetRequiredService<IDbContextFactory<PortalDbContext>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<WebhookOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<WorkerName>().Value,
            sp.GetRequiredService<ILogger<WebhookDispatcher>>(),
            sp.GetRequiredService<IOptions<OpenLineageOptions>>()));
        services.AddHostedService<WebhookDispatchService>();
        return services;
    }
}
