using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Privacy;

namespace Portal.Worker.DataProtection;

/// <summary>
/// Every <see cref="DataProtectionOptions.SweepInterval"/>: raises the retention alert of dataset versions past their retention
/// (<see cref="DatasetRetention.AlertDueAsync"/>) and builds the erasure index of versions that have none
/// (<see cref="SubjectIndexer.BackfillAsync"/>). Both are safe with any number of workers; one failure never ends the loop.
/// </summary>
internal sealed class DataProtectionSweepService(
    DatasetRetention retention,
    SubjectIndexer indexer,
    IOptions<DataProtectionOptions> options,
    TimeProvider time,
    ILogger<DataProtectionSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.SweepEnabled)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var alerted = await retention.AlertDueAsync(stoppingToken);
                if (alerted > 0)
                {
                    logger.LogInformation("Retention alert raised for {Count} dataset version(s).", alerted);
                }

                var indexed = await indexer.BackfillAsync(settings.BackfillBatch, stoppingToken);
                if (indexed > 0)
                {
                    logger.LogInformation("Erasure index built for {Count} older dataset version(s).", indexed);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Data-protection sweep failed; the next round tries again.");
            }

            await Task.Delay(settings.SweepInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
