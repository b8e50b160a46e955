using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Monitoring;
using Portal.Worker.Training;

namespace Portal.Worker.Monitoring;

/// <summary>
/// The monitoring loop of a worker: every interval, claims the cursors of the models in production it may monitor (lease) and
/// runs each one a round (<see cref="ModelMonitor"/>). The cursor and the windows commit together, so a killed worker loses
/// nothing: the next holder resumes from the committed cursor once the lease lapses. One failing model never ends the loop.
/// </summary>
internal sealed class MonitoringService(
    MonitoringLeases leases,
    ModelMonitor monitor,
    WorkerName workerName,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<MonitoringService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        await Task.Yield();
        var round = settings.Round;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (modelId, kind) in await leases.ClaimAsync(workerName.Value, settings.Lease, stoppingToken))
                {
                    try
                    {
                        var result = await monitor.MonitorAsync(modelId, kind, workerName.Value, round, stoppingToken);
                        if (!result.Succeeded)
                        {
                            logger.LogInformation("Model {ModelId} ({Kind} windows) not monitored by {Worker} this round: {Error}", modelId, kind, workerName.Value, result.Error);
                        }
                        else if (result.Value is { Windows: > 0 } or { LabelUpdates: > 0 })
                        {
                            logger.LogDebug("Model {ModelId}: {Windows} {Kind} windows, {LabelUpdates} label updates, {Raised} alerts raised, {Cleared} cleared.",
                                modelId, result.Value.Windows, kind, result.Value.LabelUpdates, result.Value.AlertsRaised, result.Value.AlertsCleared);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        logger.LogError(ex, "Monitoring model {ModelId} ({Kind} windows) failed; the next round tries again.", modelId, kind);
                    }
                }

                await Task.Delay(settings.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Monitoring loop failed; continuing.");
                await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await leases.ReleaseAllAsync(workerName.Value, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not release monitoring leases on stop; they lapse by themselves.");
        }
    }
}
