namespace Portal.Domain.Registry;

/// <summary>
/// The background work of evaluating one promotion request's gates: queued with the request (or its re-evaluation), claimed
/// by one worker under a lease (any process may run it; a lapsed lease is taken over), with its progress for the live page.
/// </summary>
public sealed class PromotionEvaluationJob
{
    public const int MaxAttempts = 3;

    private PromotionEvaluationJob()
    {
    }

    public PromotionRequestId RequestId { get; private set; }

    public DateTime QueuedUtc { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresUtc { get; private set; }

    public int Attempt { get; private set; }

    public double Progress { get; private set; }

    public string Stage { get; private set; } = "Queued";

    public string? LastError { get; private set; }

    /// <summary>Every attempt failed: nobody claims it again until someone asks for a re-evaluation (which queues a new job).</summary>
    public bool GaveUp { get; private set; }

    public static PromotionEvaluationJob Queue(PromotionRequestId requestId, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        QueuedUtc = now.UtcDateTime,
    };

    /// <summary>Queues the job again for a re-evaluation: unclaimed, no progress, its attempts counted afresh.</summary>
    public void Requeue(DateTimeOffset now)
    {
        QueuedUtc = now.UtcDateTime;
        LeaseOwner = null;
        LeaseExpiresUtc = null;
        Attempt = 0;
        Progress = 0;
        Stage = "Queued";
        LastError = null;
        GaveUp = false;
    }

    /// <summary>Whether a worker may claim the job now: never claimed, or its holder's lease lapsed.</summary>
    public bool IsClaimable(DateTimeOffset now) => !GaveUp && (LeaseOwner is null || LeaseExpiresUtc <= now.UtcDateTime);

    public void Claim(string workerId, DateTimeOffset now, TimeSpan lease)
    {
        LeaseOwner = workerId;
        LeaseExpiresUtc = (now + lease).UtcDateTime;
        Attempt++;
        Progress = 0;
        Stage = "Starting";
        LastError = null;
    }

    public void Report(double progress, string stage, DateTimeOffset now, TimeSpan lease)
    {
        Progress = Math.Clamp(progress, 0, 1);
        Stage = stage.Length > 128 ? stage[..128] : stage;
        LeaseExpiresUtc = (now + lease).UtcDateTime;
    }

    /// <summary>An attempt failed; the job is released for another attempt unless it used them all.</summary>
    public void Failed(string error)
    {
        LastError = error.Length > 2000 ? error[..2000] : error;
        LeaseOwner = null;
        LeaseExpiresUtc = null;
        GaveUp = !AttemptsLeft;
        Stage = GaveUp ? "Failed" : "Queued again after a failed attempt";
    }

    public bool AttemptsLeft => Attempt < MaxAttempts;
}
