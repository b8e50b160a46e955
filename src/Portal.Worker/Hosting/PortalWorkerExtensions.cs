using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Ml.Training;
using Portal.Worker.Heartbeats;
using Portal.Worker.Training;

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
        builder.Services.AddOptions<TrainingOptions>()
            .BindConfiguration(TrainingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(new WorkerIdentity(embedded));
        builder.Services.AddSingleton(services =>
        {
            var configured = services.GetRequiredService<IOptions<WorkerOptions>>().Value.WorkerId;
            return new WorkerName(string.IsNullOrWhiteSpace(configured) ? $"{Environment.MachineName}-{Environment.ProcessId}" : configured);
        });
        builder.AddTrainingQueueSignal();
        builder.Services.AddSingleton<ModelTrainer>();
        builder.Services.AddSingleton<RunLeases>();
        builder.Services.AddSingleton<RunTrainingJob>();
        builder.Services.AddHostedService<HeartbeatService>();
        builder.Services.AddHostedService<TrainingHostService>();
        return builder;
    }

    /// <summary>The training wake-up signal (the web app registers it even without an embedded worker).</summary>
    public static IHostApplicationBuilder AddTrainingQueueSignal(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<TrainingQueueSignal>();
        return builder;
    }

    /// <summary>Applies migrations when the host starts, before any other hosted service and before the server listens.</summary>
    public static IHostApplicationBuilder AddMigrationOnStart(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }
}
