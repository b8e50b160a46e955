namespace Portal.Domain.Runs;

/// <summary>Queued → Running → Succeeded | Failed | Cancelled.</summary>
public enum RunStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
}
