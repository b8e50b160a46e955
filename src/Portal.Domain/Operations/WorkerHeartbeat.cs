namespace Portal.Domain.Operations;

/// <summary>A worker process's last sign of life: lets operators see which hosts run (one row per worker instance).</summary>
public sealed class WorkerHeartbeat
{
    private WorkerHeartbeat()
    {
    }

    public string WorkerId { get; private set; } = "";

    public string HostName { get; private set; } = "";

    public int ProcessId { get; private set; }

    public bool Embedded { get; private set; }

    public DateTime StartedUtc { get; private set; }

    public DateTime LastSeenUtc { get; private set; }

    public static WorkerHeartbeat Start(string workerId, string hostName, int processId, bool embedded, DateTimeOffset now) => new()
    {
        WorkerId = workerId,
        HostName = hostName,
        ProcessId = processId,
        Embedded = embedded,
        StartedUtc = now.UtcDateTime,
        LastSeenUtc = now.UtcDateTime,
    };

    public void Beat(DateTimeOffset now) => LastSeenUtc = now.UtcDateTime;

    public bool IsAlive(DateTimeOffset now, TimeSpan tolerance) => now.UtcDateTime - LastSeenUtc <= tolerance;
}
