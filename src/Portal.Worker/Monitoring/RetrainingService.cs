using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Monitoring;
using Portal.Worker.Training;

namespace Portal.Worker.Monitoring;

/// <summary>
/// The retraining loop of a worker: every interval, starts the retrainings that alerts or schedules call for and advances the
/// running ones it holds the lease on (<see cref="RetrainingLoop"/>). The database row is the durable job: killed mid-way, the next
/// worker resumes from the recorded state once the lease lapses. One failing retraining never ends the loop.
/// </summary>
internal sealed class RetrainingService(
    RetrainingLoop loop,
    WorkerName workerName,
    IOptions<RetrainingOptions> options,
    TimeProvider time,
    ILogger<RetrainingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var loopSettings = new RetrainingSettings(workerName.Value, settings.Lease, settings.MaxRows);
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var started in await loop.StartDueAsync(loopSettings, stoppingToken))
                {
                    logger.LogInformation("Retraining {RetrainingId} started by {Worker}.", started, workerName.Value);
                }

                foreach (var id in await loop.ClaimRunningAsync(loopSettings, stoppingToken))
                {
                    try
                    {
                        var state = await loop.AdvanceAsync(id, loopSettings, stoppingToken);
                        logger.LogDebug("Retraining {RetrainingId} is {State}.", id, state);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        logger.LogError(ex, "Advancing retraining {RetrainingId} failed; the next round tries again.", id);
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
                logger.LogError(ex, "Retraining loop failed; continuing.");
                await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await loop.ReleaseAllAsync(workerName.Value, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not release retraining leases on stop; they lapse by themselves.");
        }
    }
}
