using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Application.Hosting;
using Portal.Application.Monitoring;
using Portal.Application.Runs;
using Portal.Ml.Training;
using Portal.Worker.Audit;
using Portal.Worker.DataProtection;
using Portal.Worker.Heartbeats;
using Portal.Worker.Monitoring;
using Portal.Worker.Promotions;
using Portal.Worker.Rollouts;
using Portal.Worker.Training;
using Portal.Worker.Webhooks;

namespace Portal.Worker.Hosting;

public static class PortalWorkerExtensions
{
    /// <summary>Registers the worker's background services. Call after <see cref="PortalDataExtensions.AddPortalData"/> and <see cref="PortalApplicationExtensions.AddPortalApplication"/>.</summary>
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
        builder.Services.AddSingleton<ModelTrainer>();
        builder.Services.AddSingleton<RunLeases>();
        builder.Services.AddSingleton<RunTrainingJob>();
        builder.Services.AddHostedService<HeartbeatService>();
        builder.Services.AddHostedService<TrainingHostService>();
        builder.Services.AddSingleton<PromotionEvaluationLeases>();
        builder.Services.AddSingleton<PromotionEvaluationJobRunner>();
        builder.Services.AddHostedService<PromotionEvaluationHostService>();
        builder.Services.AddOptions<RolloutOptions>()
            .BindConfiguration(RolloutOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RolloutLeases>();
        builder.Services.AddHostedService<RolloutDriverService>();
        builder.Services.AddOptions<MonitoringOptions>()
            .BindConfiguration(MonitoringOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<MonitoredVersions>();
        builder.Services.TryAddSingleton<WindowDrift>();
        builder.Services.TryAddSingleton<AlertRaiser>();
        builder.Services.TryAddSingleton<ModelMonitor>();
        builder.Services.AddSingleton<MonitoringLeases>();
        builder.Services.AddHostedService<MonitoringService>();
        builder.Services.AddOptions<RetrainingOptions>()
            .BindConfiguration(RetrainingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<RetrainingService>();
        builder.Services.AddHostedService<DataProtectionSweepService>();
        builder.Services.AddHostedService<AuditCheckpointService>();
        builder.Services.AddWebhookDispatcher();
        return builder;
    }
}
