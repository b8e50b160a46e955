using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Worker.Heartbeats;

namespace Portal.Worker.Hosting;

public static class PortalWorkerExtensions
{
    /// <summary>Registers the worker's background services. Call after <see cref="PortalDataExtensions.AddPortalData"/>.</summary>
    public static IHostApplicationBuilder AddPortalWorker(this IHostApplicationBuilder builder, bool embedded)
    {
        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(new WorkerIdentity(embedded));
        builder.Services.AddHostedService<HeartbeatService>();
        return builder;
    }

    /// <summary>Applies migrations when the host starts, before any other hosted service and before the server listens.</summary>
    public static IHostApplicationBuilder AddMigrationOnStart(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }
}
