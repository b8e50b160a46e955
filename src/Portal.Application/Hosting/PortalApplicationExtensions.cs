using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Application.Datasets;
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
        builder.Services.AddSingleton<ColumnClassification>();
        builder.Services.AddSingleton<DatasetClassificationQuery>();

        // Replaced by the registry's listener (marks open promotion requests stale); Replace or register it before this call.
        builder.Services.TryAddSingleton<IClassificationChangeListener, NoClassificationChangeListener>();
        return builder;
    }
}
