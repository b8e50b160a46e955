using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Application.Audit;
using Portal.Application.Registry;
using Portal.Application.Registry.Cards;
using Portal.Application.Datasets;
using Portal.Application.Lineage;
using Portal.Application.Monitoring;
using Portal.Application.Privacy;
using Portal.Application.Rollouts;
using Portal.Application.Runs;

namespace Portal.Application.Hosting;

public static class PortalApplicationExtensions
{
    /// <summary>Registers the use cases every host may run. Call after <see cref="PortalDataExtensions.AddPortalData"/>.</summary>
    public static IHostApplicationBuilder AddPortalApplication(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<TrainingQueueSignal>();
        builder.Services.AddSingleton<RunSubmission>();
        builder.Services.AddSingleton<RunCancellation>();
        builder.Services.AddSingleton<ExternalRunTracking>();
        builder.Services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<PromotionWorkflow>();
        builder.Services.AddSingleton<RolloutControl>();
        builder.Services.AddSingleton<RolloutDriver>();
        builder.Services.AddSingleton<AlertHandling>();
        builder.Services.AddModelCards<RegistryModelCardSubjects>();
        builder.Services.AddSingleton<DatasetIngestion>();
        builder.Services.AddSingleton<MonitoringPolicies>();
        builder.Services.AddSingleton<RetrainingLoop>();
        builder.Services.AddSingleton<ColumnClassification>();
        builder.Services.AddSingleton<DatasetClassificationQuery>();
        builder.Services.AddSingleton<DriftReferences>();
        builder.Services.AddSingleton<LineageQuery>();
        builder.Services.AddOpenLineage();
        builder.Services.AddPortalPrivacy();
        builder.Services.AddAuditCheckpoints();

        // A changed classification changes the evidence of open promotion requests on that data: they go stale.
        builder.Services.TryAddSingleton<IClassificationChangeListener, RegistryClassificationListener>();
        return builder;
    }
}
