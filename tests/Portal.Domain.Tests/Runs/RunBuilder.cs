using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Runs;

/// <summary>Puts a run into any state it can reach, through the same methods the portal and its workers call.</summary>
internal static class RunBuilder
{
    public static readonly DateTimeOffset Submitted = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ClaimedAt = Submitted.AddMinutes(1);
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    public const string Worker = "worker-1";

    /// <summary>After the lease taken at <see cref="ClaimedAt"/> has run out.</summary>
    public static readonly DateTimeOffset LeaseExpired = ClaimedAt + Lease + TimeSpan.FromSeconds(1);

    public static Run Queued() => Run.SubmitManaged(ExperimentId.New(Submitted), DatasetVersionId.New(Submitted), new string('a', 64), MlTask.Binary, "FastTree",
        "churned", new Dictionary<string, double>(), 0.2, 42, "user-1", "ann@portal.local", Submitted);

    /// <summary>Claimed by <see cref="Worker"/> at <see cref="ClaimedAt"/>.</summary>
    public static Run Running()
    {
        var run = Queued();
        run.Claimed(Worker, ClaimedAt, Lease);
        return run;
    }

    public static Run External() => Run.StartExternal(ExperimentId.New(Submitted), null, null, MlTask.Regression, "notebook", "price",
        "user-1", "ann@portal.local", Submitted);

    public static Run In(RunState state)
    {
        var later = ClaimedAt.AddMinutes(5);
        switch (state)
        {
            case RunState.ManagedQueued:
                return Queued();
            case RunState.ManagedRunning:
                return Running();
            case RunState.ManagedSucceeded:
                var succeeded = Running();
                succeeded.Succeed(later, new string('b', 64), 1024, "4.0.0", "areaUnderRocCurve", 0.9);
                return succeeded;
            case RunState.ManagedFailed:
                var failed = Running();
                failed.Fail(later, "Training failed: out of memory");
                return failed;
            case RunState.ManagedCancelled:
                var cancelled = Queued();
                cancelled.RequestCancel(later);
                return cancelled;
            case RunState.ExternalRunning:
                return External();
            case RunState.ExternalSucceeded:
                var externalSucceeded = External();
                externalSucceeded.EndExternal(RunStatus.Succeeded, later, null);
                return externalSucceeded;
            case RunState.ExternalFailed:
                var externalFailed = External();
                externalFailed.EndExternal(RunStatus.Failed, later, "diverged");
                return externalFailed;
            case RunState.ExternalCancelled:
                var externalCancelled = External();
                externalCancelled.EndExternal(RunStatus.Cancelled, later, null);
                return externalCancelled;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }
}

/// <summary>Every state a run can be in: its mode and status (an external run is never queued).</summary>
public enum RunState
{
    ManagedQueued,
    ManagedRunning,
    ManagedSucceeded,
    ManagedFailed,
    ManagedCancelled,
    ExternalRunning,
    ExternalSucceeded,
    ExternalFailed,
    ExternalCancelled,
}
