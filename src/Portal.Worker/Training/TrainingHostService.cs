using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Runs;

namespace Portal.Worker.Training;

/// <summary>
/// The training host: <see cref="TrainingOptions.Concurrency"/> loops, each recovering expired leases, claiming the
/// oldest queued run and training it. One failing run never ends a loop; every wait takes the stopping token.
/// </summary>
internal sealed class TrainingHostService(
    RunLeases leases,
    RunTrainingJob job,
    TrainingQueueSignal signal,
    WorkerName workerName,
    IOptions<TrainingOptions> options,
    ILogger<TrainingHostService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(slot => LoopAsync(slot, stoppingToken)));

    private async Task LoopAsync(int slot, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // Let the host finish starting (migrations, seeding) before the first claim.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await leases.RecoverExpiredAsync(stoppingToken);
                var claimed = await leases.TryClaimAsync(workerName.Value, settings.Lease, stoppingToken);
                if (claimed is { } runId)
                {
                    logger.LogInformation("Worker {Worker} slot {Slot} claimed run {RunId}.", workerName.Value, slot, runId);
                    await job.RunAsync(runId, workerName.Value, stoppingToken);
                    continue;
                }

                await signal.WaitAsync(TimeSpan.FromSeconds(settings.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Training loop slot {Slot} failed; continuing.", slot);
                await Task.Delay(TimeSpan.FromSeconds(settings.PollSeconds), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
