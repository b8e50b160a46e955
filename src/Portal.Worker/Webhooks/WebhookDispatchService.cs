using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Worker.Webhooks;

/// <summary>
/// Runs <see cref="WebhookDispatcher"/> every <see cref="WebhookOptions.PollSeconds"/>. One failing pass never ends
/// the loop; every wait takes the stopping token.
/// </summary>
internal sealed class WebhookDispatchService(
    WebhookDispatcher dispatcher,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (migrations) before the first pass.
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        do
        {
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A webhook dispatch pass failed; trying again in {Seconds} s.", options.Value.PollSeconds);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
