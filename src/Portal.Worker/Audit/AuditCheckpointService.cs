using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Audit;
using Portal.Domain.Audit;
using Portal.Worker.Training;

namespace Portal.Worker.Audit;

/// <summary>
/// Signs the audit chain head every <see cref="AuditCheckpointOptions.IntervalMinutes"/> when it moved, and publishes any
/// checkpoint not yet published. Any number of workers may run it: a head is signed once (the checkpoint's own audit entry must
/// take the next sequence number, which one writer only gets; <see cref="AuditCheckpoints"/>). One failing round never ends the loop.
/// </summary>
internal sealed class AuditCheckpointService(
    AuditCheckpoints checkpoints,
    AuditCheckpointKeys keys,
    WorkerName workerName,
    IOptions<AuditCheckpointOptions> options,
    TimeProvider time,
    ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!keys.IsConfigured)
        {
            return;
        }

        var actor = AuditActor.Service(workerName.Value);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The first round waits one interval: a starting host writes no audit entry of its own.
                await Task.Delay(options.Value.Interval, time, stoppingToken);
                var signed = await checkpoints.SignAsync(actor, onlyIfHeadMoved: true, stoppingToken);
                if (signed is { Succeeded: true, Value: { } checkpoint })
                {
                    logger.LogInformation("Signed audit checkpoint #{Id} of entry {Sequence}.", checkpoint.Id, checkpoint.Sequence);
                }
                else if (!signed.Succeeded)
                {
                    logger.LogInformation("No audit checkpoint signed by {Worker} this round: {Reason}", workerName.Value, signed.Error);
                }

                await checkpoints.PublishPendingAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Audit checkpoint round failed; the next round tries again.");
            }
        }
    }
}
