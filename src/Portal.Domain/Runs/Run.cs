using Portal.Domain.Datasets;
using Portal.Domain.Experiments;

namespace Portal.Domain.Runs;

/// <summary>
/// A training run. The row is the durable job: workers claim queued runs with a lease, renew it while they
/// train, and a run whose lease expires is retried (bounded) or failed with the reason — never left Running.
/// </summary>
public sealed class Run
{
    public const int DefaultMaxAttempts = 3;
    public const int MaxReasonLength = 2000;

    private Run()
    {
    }

    public RunId Id { get; private set; }

    public ExperimentId ExperimentId { get; private set; }

    public RunMode Mode { get; private set; }

    public DatasetVersionId? DatasetVersionId { get; private set; }

    /// <summary>SHA-256 of the exact data the run trained on.</summary>
    public string? DatasetSha256 { get; private set; }

    public MlTask? Task { get; private set; }

    public string? Trainer { get; private set; }

    public string? LabelColumn { get; private set; }

    /// <summary>
    /// The trainer's hyperparameters of a managed run, defaults resolved at submission: stored here once (the run's
    /// params as the API shows them are these, the validation fraction and the seed). Empty for an external run, whose
    /// params are logged as <see cref="RunParam"/> rows.
    /// </summary>
    public IReadOnlyDictionary<string, double> Hyperparameters { get; private set; } = new Dictionary<string, double>();

    public double ValidationFraction { get; private set; }

    public int Seed { get; private set; }

    public RunStatus Status { get; private set; }

    public string SubmittedBy { get; private set; } = "";

    public string SubmittedByName { get; private set; } = "";

    public DateTime SubmittedUtc { get; private set; }

    public DateTime? StartedUtc { get; private set; }

    public DateTime? FinishedUtc { get; private set; }

    public string? FailureReason { get; private set; }

    public int Attempt { get; private set; }

    public int MaxAttempts { get; private set; } = DefaultMaxAttempts;

    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresUtc { get; private set; }

    public double Progress { get; private set; }

    public string? ProgressStage { get; private set; }

    public bool CancelRequested { get; private set; }

    public string? ModelSha256 { get; private set; }

    public long? ModelBytes { get; private set; }

    public string? LibraryVersion { get; private set; }

    /// <summary>Primary metric, copied here when the run finishes so lists can sort and filter on it cheaply.</summary>
    public string? PrimaryMetric { get; private set; }

    public double? PrimaryMetricValue { get; private set; }

    /// <summary>The metric a run of this task is ranked by in lists and leaderboards (ML.NET's name for it).</summary>
    public static string PrimaryMetricFor(MlTask task) => task switch
    {
        MlTask.Binary => "areaUnderRocCurve",
        MlTask.Multiclass => "macroAccuracy",
        _ => "rSquared",
    };

    public bool IsTerminal => Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;

    public TimeSpan? Duration => StartedUtc is { } s && FinishedUtc is { } f ? f - s : null;

    public static Run SubmitManaged(ExperimentId experimentId, DatasetVersionId datasetVersionId, string datasetSha256, MlTask task, string trainer,
        string labelColumn, IReadOnlyDictionary<string, double> hyperparameters, double validationFraction, int seed, string submittedBy,
        string submittedByName, DateTimeOffset now) => new()
        {
            Id = RunId.New(now),
            ExperimentId = experimentId,
            Mode = RunMode.Managed,
            DatasetVersionId = datasetVersionId,
            DatasetSha256 = datasetSha256,
            Task = task,
            Trainer = trainer,
            LabelColumn = labelColumn,
            Hyperparameters = new Dictionary<string, double>(hyperparameters),
            ValidationFraction = validationFraction,
            Seed = seed,
            Status = RunStatus.Queued,
            SubmittedBy = submittedBy,
            SubmittedByName = submittedByName,
            SubmittedUtc = now.UtcDateTime,
        };

    /// <summary>An externally tracked run starts Running: its owner logs to it until they post an end status.</summary>
    public static Run StartExternal(ExperimentId experimentId, DatasetVersionId? datasetVersionId, string? datasetSha256, MlTask? task, string? trainer,
        string? labelColumn, string submittedBy, string submittedByName, DateTimeOffset now) => new()
        {
            Id = RunId.New(now),
            ExperimentId = experimentId,
            Mode = RunMode.External,
            DatasetVersionId = datasetVersionId,
            DatasetSha256 = datasetSha256,
            Task = task,
            Trainer = trainer,
            LabelColumn = labelColumn,
            Status = RunStatus.Running,
            SubmittedBy = submittedBy,
            SubmittedByName = submittedByName,
            SubmittedUtc = now.UtcDateTime,
            StartedUtc = now.UtcDateTime,
            Attempt = 1,
        };

    /// <summary>Called on the row a worker just claimed (the claim itself is a conditional UPDATE in the database).</summary>
    public void Claimed(string workerId, DateTimeOffset now, TimeSpan lease)
    {
        EnsureStatus(RunStatus.Queued);
        Status = RunStatus.Running;
        Attempt++;
        LeaseOwner = workerId;
        LeaseExpiresUtc = now.UtcDateTime + lease;
        StartedUtc ??= now.UtcDateTime;
        Progress = 0;
        ProgressStage = "claimed";
    }

    public void RenewLease(string workerId, DateTimeOffset now, TimeSpan lease)
    {
        if (!HoldsLease(workerId))
        {
            throw new InvalidOperationException($"Worker {workerId} no longer holds run {Id}.");
        }

        LeaseExpiresUtc = now.UtcDateTime + lease;
    }

    public bool HoldsLease(string workerId) => Status == RunStatus.Running && LeaseOwner == workerId;

    public void Report(double progress, string stage)
    {
        Progress = Math.Clamp(progress, 0, 1);
        ProgressStage = stage.Length > 128 ? stage[..128] : stage;
    }

    public void Succeed(DateTimeOffset now, string? modelSha256, long? modelBytes, string? libraryVersion, string? primaryMetric, double? primaryValue)
    {
        EnsureStatus(RunStatus.Running);
        Status = RunStatus.Succeeded;
        FinishedUtc = now.UtcDateTime;
        ModelSha256 = modelSha256;
        ModelBytes = modelBytes;
        LibraryVersion = libraryVersion;
        PrimaryMetric = primaryMetric;
        PrimaryMetricValue = primaryValue is { } v && double.IsFinite(v) ? v : null;
        Progress = 1;
        ProgressStage = "done";
        ReleaseLease();
    }

    public void Fail(DateTimeOffset now, string reason)
    {
        if (IsTerminal)
        {
            throw new InvalidOperationException($"Run {Id} is already {Status}.");
        }

        Status = RunStatus.Failed;
        FailureReason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
        FinishedUtc = now.UtcDateTime;
        StartedUtc ??= now.UtcDateTime;
        ReleaseLease();
    }

    /// <summary>Queued runs are cancelled at once; a managed running run is flagged and its worker stops it.</summary>
    public void RequestCancel(DateTimeOffset now)
    {
        if (IsTerminal)
        {
            throw new InvalidOperationException($"The run is already {Status.ToString().ToLowerInvariant()}.");
        }

        if (Status == RunStatus.Queued || Mode == RunMode.External)
        {
            MarkCancelled(now);
        }
        else
        {
            CancelRequested = true;
        }
    }

    public void MarkCancelled(DateTimeOffset now)
    {
        // A finished run keeps the outcome it finished with (a stopping worker may arrive after a recovery failed it).
        if (IsTerminal)
        {
            throw new InvalidOperationException($"Run {Id} is already {Status}.");
        }

        Status = RunStatus.Cancelled;
        CancelRequested = true;
        FinishedUtc = now.UtcDateTime;
        StartedUtc ??= now.UtcDateTime;
        ReleaseLease();
    }

    /// <summary>A graceful stop (SIGTERM) hands the run back to the queue without spending an attempt.</summary>
    public void Requeue()
    {
        // Workers only claim managed runs: an external run sent back to the queue would wait there forever.
        if (Mode != RunMode.Managed)
        {
            throw new InvalidOperationException("Only managed runs go back to the queue.");
        }

        EnsureStatus(RunStatus.Running);
        Status = RunStatus.Queued;
        Attempt = Math.Max(0, Attempt - 1);
        Progress = 0;
        ProgressStage = "requeued";
        ReleaseLease();
    }

    /// <summary>
    /// The worker holding the lease vanished: a run whose cancellation was requested ends cancelled; otherwise it
    /// is retried while attempts remain, else failed with the reason.
    /// </summary>
    public void RecoverExpiredLease(DateTimeOffset now)
    {
        if (Status != RunStatus.Running || Mode != RunMode.Managed || LeaseExpiresUtc is null || LeaseExpiresUtc > now.UtcDateTime)
        {
            return;
        }

        if (CancelRequested)
        {
            MarkCancelled(now);
            return;
        }

        var lostWorker = LeaseOwner;
        if (Attempt < MaxAttempts)
        {
            Status = RunStatus.Queued;
            Progress = 0;
            ProgressStage = $"retry after worker {lostWorker} stopped responding";
            ReleaseLease();
        }
        else
        {
            Fail(now, $"Worker {lostWorker} stopped responding (lease expired) on attempt {Attempt} of {MaxAttempts}; not retried again.");
        }
    }

    public void EndExternal(RunStatus status, DateTimeOffset now, string? reason)
    {
        if (Mode != RunMode.External)
        {
            throw new InvalidOperationException("Only externally tracked runs take an end status.");
        }

        EnsureStatus(RunStatus.Running);
        switch (status)
        {
            case RunStatus.Succeeded:
                Succeed(now, ModelSha256, ModelBytes, LibraryVersion, PrimaryMetric, PrimaryMetricValue);
                break;
            case RunStatus.Failed:
                Fail(now, reason ?? "Reported failed by its owner.");
                break;
            case RunStatus.Cancelled:
                MarkCancelled(now);
                break;
            default:
                throw new ArgumentException("End status must be Succeeded, Failed or Cancelled.", nameof(status));
        }
    }

    public void AttachModel(string sha256, long bytes)
    {
        ModelSha256 = sha256;
        ModelBytes = bytes;
    }

    public void SetPrimaryMetric(string key, double value)
    {
        PrimaryMetric = key;
        PrimaryMetricValue = double.IsFinite(value) ? value : null;
    }

    private void ReleaseLease()
    {
        LeaseOwner = null;
        LeaseExpiresUtc = null;
    }

    private void EnsureStatus(RunStatus expected)
    {
        if (Status != expected)
        {
            throw new InvalidOperationException($"Run {Id} is {Status}, not {expected}.");
        }
    }
}
