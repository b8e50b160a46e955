using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Domain.Monitoring;

/// <summary>What set a retraining off.</summary>
public enum RetrainingTrigger
{
    Drift,
    AccuracyDrop,
    Schedule,

    /// <summary>The DPO marked training data of the champion for erasure: retrain without it.</summary>
    Erasure,
}

/// <summary>
/// A retraining's life: <see cref="Waiting"/> for enough labelled rows (nothing started yet), <see cref="Preparing"/> its training
/// data, <see cref="Training"/> the run, <see cref="Requested"/> promotion (done: people decide), or <see cref="Failed"/> with the reason.
/// </summary>
public enum RetrainingState
{
    Waiting,
    Preparing,
    Training,
    Requested,
    Failed,
}

/// <summary>
/// One pass of the retraining loop for a model: the alert (or schedule) that set it off, the dataset version built from the
/// prediction log and its feedback, the run trained with the champion's recipe, and the promotion request it opened. The row is
/// the durable job: a worker leases it while it prepares or trains, and a successor resumes from the recorded state.
/// </summary>
public sealed class Retraining
{
    public const int MaxTextLength = 2000;

    private Retraining()
    {
    }

    public RetrainingId Id { get; private set; }

    public RegisteredModelId ModelId { get; private set; }

    /// <summary>The champion whose recipe is retrained.</summary>
    public ModelVersionId ChampionVersionId { get; private set; }

    public RetrainingTrigger Trigger { get; private set; }

    /// <summary>The alert that set it off; null for a scheduled retraining.</summary>
    public MonitoringAlertId? AlertId { get; private set; }

    public RetrainingState State { get; private set; }

    /// <summary>The erasure request that set it off (<see cref="RetrainingTrigger.Erasure"/>); null otherwise.</summary>
    public Privacy.ErasureRequestId? ErasureRequestId { get; private set; }

    /// <summary>The training data: a new version of the champion's dataset built from the log, or a newer upload.</summary>
    public DatasetVersionId? DatasetVersionId { get; private set; }

    /// <summary>Labelled rows the training data holds.</summary>
    public long? TrainingRows { get; private set; }

    public RunId? RunId { get; private set; }

    public int? VersionNumber { get; private set; }

    public PromotionRequestId? RequestId { get; private set; }

    /// <summary>In words: why it waits, what it trains on, why it failed; the promotion request's justification once requested.</summary>
    public string? Reason { get; private set; }

    /// <summary>When it was first seen (a waiting one: when it began to wait).</summary>
    public DateTime CreatedUtc { get; private set; }

    /// <summary>When it started preparing; null while waiting. The least time between two retrainings counts from here.</summary>
    public DateTime? StartedUtc { get; private set; }

    public DateTime UpdatedUtc { get; private set; }

    public DateTime? FinishedUtc { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresUtc { get; private set; }

    /// <summary>Preparing or training: no other retraining of the model starts meanwhile.</summary>
    public bool IsRunning => State is RetrainingState.Preparing or RetrainingState.Training;

    public static Retraining Wait(RetrainingId id, RegisteredModelId modelId, ModelVersionId championId, RetrainingTrigger trigger, MonitoringAlertId? alertId,
        string reason, DateTimeOffset now) => new()
    {
        Id = id,
        ModelId = modelId,
        ChampionVersionId = championId,
        Trigger = trigger,
        AlertId = alertId,
        State = RetrainingState.Waiting,
        Reason = Clip(reason),
        CreatedUtc = now.UtcDateTime,
        UpdatedUtc = now.UtcDateTime,
    };

    /// <summary>
    /// A "retrain required" task: the DPO marked training data of the champion for erasure (<paramref name="erasureRequestId"/>), so the
    /// model must be retrained without it. Waits for the retraining loop, which starts it whatever the model's retraining policy.
    /// </summary>
    public static Retraining ForErasure(RetrainingId id, RegisteredModelId modelId, ModelVersionId championId, Privacy.ErasureRequestId erasureRequestId,
        string reason, DateTimeOffset now)
    {
        var retraining = Wait(id, modelId, championId, RetrainingTrigger.Erasure, null, reason, now);
        retraining.ErasureRequestId = erasureRequestId;
        return retraining;
    }

    /// <summary>Still not enough data: says so with the latest figures.</summary>
    public void StillWaiting(string reason, DateTimeOffset now)
    {
        Reason = Clip(reason);
        UpdatedUtc = now.UtcDateTime;
    }

    /// <summary>Starts preparing the training data, leased by <paramref name="owner"/>.</summary>
    public void Start(ModelVersionId championId, string owner, DateTimeOffset now, TimeSpan lease)
    {
        ChampionVersionId = championId;
        State = RetrainingState.Preparing;
        Reason = null;
        StartedUtc = now.UtcDateTime;
        UpdatedUtc = now.UtcDateTime;
        Lease(owner, now, lease);
    }

    public void Prepared(DatasetVersionId datasetVersionId, long rows, RunId runId, DateTimeOffset now)
    {
        DatasetVersionId = datasetVersionId;
        TrainingRows = rows;
        RunId = runId;
        State = RetrainingState.Training;
        UpdatedUtc = now.UtcDateTime;
    }

    public void Requested(int versionNumber, PromotionRequestId requestId, string justification, DateTimeOffset now)
    {
        VersionNumber = versionNumber;
        RequestId = requestId;
        Reason = Clip(justification);
        State = RetrainingState.Requested;
        UpdatedUtc = now.UtcDateTime;
        FinishedUtc = now.UtcDateTime;
        LeaseOwner = null;
        LeaseExpiresUtc = null;
    }

    public void Fail(string reason, DateTimeOffset now)
    {
        Reason = Clip(reason);
        State = RetrainingState.Failed;
        UpdatedUtc = now.UtcDateTime;
        FinishedUtc = now.UtcDateTime;
        LeaseOwner = null;
        LeaseExpiresUtc = null;
    }

    /// <summary>Takes (or renews) the lease when nobody else holds a live one; false when another worker does.</summary>
    public bool Claim(string owner, DateTimeOffset now, TimeSpan lease)
    {
        if (LeaseOwner is not null && LeaseOwner != owner && LeaseExpiresUtc > now.UtcDateTime)
        {
            return false;
        }

        Lease(owner, now, lease);
        return true;
    }

    public void Release(string owner)
    {
        if (LeaseOwner == owner)
        {
            LeaseOwner = null;
            LeaseExpiresUtc = null;
        }
    }

    private void Lease(string owner, DateTimeOffset now, TimeSpan lease)
    {
        LeaseOwner = owner;
        LeaseExpiresUtc = (now + lease).UtcDateTime;
    }

    private static string Clip(string text) => text.Length > MaxTextLength ? text[..(MaxTextLength - 1)] + "…" : text;
}
