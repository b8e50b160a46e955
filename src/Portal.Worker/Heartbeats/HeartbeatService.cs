using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Operations;
using Portal.Worker.Hosting;
using Portal.Worker.Training;

namespace Portal.Worker.Heartbeats;

/// <summary>Records this worker's heartbeat so operators (and later, lease recovery) can see which workers are alive.</summary>
internal sealed class HeartbeatService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<WorkerOptions> options,
    WorkerIdentity identity,
    WorkerName workerName,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workerId = workerName.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        do
        {
            try
            {
                await BeatAsync(workerId, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A missed beat is not fatal: the database may be briefly unavailable.
                logger.LogWarning(ex, "Heartbeat of worker {WorkerId} failed.", workerId);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task BeatAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var heartbeat = await db.WorkerHeartbeats.FindAsync([workerId], cancellationToken);
        if (heartbeat is null)
        {
            db.WorkerHeartbeats.Add(WorkerHeartbeat.Start(workerId, Environment.MachineName,
                Environment.ProcessId, identity.Embedded, now));
        }
        else
        {
            heartbeat.Beat(now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
