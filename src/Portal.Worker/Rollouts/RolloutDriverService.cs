using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application;
using Portal.Application.Rollouts;
using Portal.Worker.Training;

namespace Portal.Worker.Rollouts;

/// <summary>
/// The rollout loop of a worker: every interval, claims the running rollouts it may drive (lease) and drives each one step
/// (<see cref="RolloutDriver"/>). The database row is the durable state: killed mid-step, the next driver resumes from the
/// recorded step once the lease lapses. One failing rollout never ends the loop.
/// </summary>
internal sealed class RolloutDriverService(
    RolloutLeases leases,
    RolloutDriver driver,
    WorkerName workerName,
    IOptions<RolloutOptions> options,
    TimeProvider time,
    ILogger<RolloutDriverService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var id in await leases.ClaimAsync(workerName.Value, settings.Lease, settings.MaxPerRound, stoppingToken))
                {
                    try
                    {
                        var result = await driver.DriveAsync(id, workerName.Value, settings.Lease, stoppingToken);
                        if (!result.Succeeded)
                        {
                            logger.LogInformation("Rollout {RolloutId} not driven by {Worker}: {Error}", id, workerName.Value, result.Error);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        logger.LogError(ex, "Driving rollout {RolloutId} failed; the next round tries again.", id);
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
                logger.LogError(ex, "Rollout loop failed; continuing.");
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
            logger.LogWarning(ex, "Could not release rollout leases on stop; they lapse by themselves.");
        }
    }
}
