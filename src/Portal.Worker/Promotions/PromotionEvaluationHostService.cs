using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Worker.Training;

namespace Portal.Worker.Promotions;

/// <summary>
/// The promotion evaluation loop of a worker: claims the oldest queued evaluation (any worker process may; the lease decides
/// who), runs it, and otherwise polls. One failing evaluation never ends the loop.
/// </summary>
internal sealed class PromotionEvaluationHostService(
    PromotionEvaluationLeases leases,
    PromotionEvaluationJobRunner runner,
    WorkerName workerName,
    IOptions<TrainingOptions> options,
    ILogger<PromotionEvaluationHostService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await leases.TryClaimAsync(workerName.Value, settings.Lease, stoppingToken) is { } requestId)
                {
                    logger.LogInformation("Worker {Worker} evaluates promotion {RequestId}.", workerName.Value, requestId);
                    await runner.RunAsync(requestId, workerName.Value, settings.Lease, stoppingToken);
                    continue;
                }

                await Task.Delay(TimeSpan.FromSeconds(settings.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Promotion evaluation loop failed; continuing.");
                await Task.Delay(TimeSpan.FromSeconds(settings.PollSeconds), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
