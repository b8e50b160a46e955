using Portal.Domain.Registry;

namespace Portal.Domain.Monitoring;

/// <summary>
/// How far the monitoring loop has read a model's prediction log, per window kind: the last batch it consumed, in
/// (received time, id) order. Committed with the windows it produced, so a restarted worker resumes exactly there.
/// Also the loop's lease: one worker monitors a model at a time.
/// </summary>
public sealed class MonitoringCursor
{
    private MonitoringCursor()
    {
    }

    public RegisteredModelId ModelId { get; private set; }

    public WindowKind Kind { get; private set; }

    /// <summary>Received time of the last consumed batch; null before the first.</summary>
    public DateTime? LastReceivedUtc { get; private set; }

    /// <summary>Id of the last consumed batch (ties on received time are broken by id).</summary>
    public Guid? LastBatchId { get; private set; }

    /// <summary>Start of the window being filled (rows read but not yet closed into a window are re-read after a restart).</summary>
    public DateTime? OpenWindowStartUtc { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresUtc { get; private set; }

    public DateTime UpdatedUtc { get; private set; }

    public static MonitoringCursor Start(RegisteredModelId modelId, WindowKind kind, DateTimeOffset now) => new()
    {
        ModelId = modelId,
        Kind = kind,
        UpdatedUtc = now.UtcDateTime,
    };

    public bool IsLeasedByOther(string owner, DateTimeOffset now) =>
        LeaseOwner is not null && LeaseOwner != owner && LeaseExpiresUtc > now.UtcDateTime;

    public void Lease(string owner, DateTimeOffset until)
    {
        LeaseOwner = owner;
        LeaseExpiresUtc = until.UtcDateTime;
    }

    public void Advance(DateTime lastReceivedUtc, Guid lastBatchId, DateTime? openWindowStartUtc, DateTimeOffset now)
    {
        LastReceivedUtc = lastReceivedUtc;
        LastBatchId = lastBatchId;
        OpenWindowStartUtc = openWindowStartUtc;
        UpdatedUtc = now.UtcDateTime;
    }
}
