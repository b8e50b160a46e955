using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Runs;

/// <summary>What each transition does besides the status: attempts, leases, cancel requests, times and reasons.</summary>
public sealed class RunStateMachineTests
{
    private static readonly DateTimeOffset Later = RunBuilder.ClaimedAt.AddMinutes(10);

    [Fact]
    public void ClaimStartsAttemptOneWithALeaseForTheClaimingWorker()
    {
        var run = RunBuilder.Running();

        Assert.Equal(1, run.Attempt);
        Assert.True(run.HoldsLease(RunBuilder.Worker));
        Assert.False(run.HoldsLease("worker-2"));
        Assert.Equal((RunBuilder.ClaimedAt + RunBuilder.Lease).UtcDateTime, run.LeaseExpiresUtc);
        Assert.Equal(RunBuilder.ClaimedAt.UtcDateTime, run.StartedUtc);
    }

    [Fact]
    public void RetriedRunCountsItsSecondAttemptAndKeepsItsFirstStartTime()
    {
        var run = RunBuilder.Running();
        run.RecoverExpiredLease(RunBuilder.LeaseExpired);

        run.Claimed("worker-2", Later, RunBuilder.Lease);

        Assert.Equal(2, run.Attempt);
        Assert.True(run.HoldsLease("worker-2"));
        Assert.Equal(RunBuilder.ClaimedAt.UtcDateTime, run.StartedUtc);
    }

    [Fact]
    public void RenewedLeaseRunsFromTheRenewalTime()
    {
        var run = RunBuilder.Running();

        run.RenewLease(RunBuilder.Worker, Later, RunBuilder.Lease);

        Assert.Equal((Later + RunBuilder.Lease).UtcDateTime, run.LeaseExpiresUtc);
    }

    [Fact]
    public void WorkerThatDoesNotHoldTheLeaseCannotRenewIt()
    {
        var run = RunBuilder.Running();
        var lease = run.LeaseExpiresUtc;

        var error = Assert.Throws<InvalidOperationException>(() => run.RenewLease("worker-2", Later, RunBuilder.Lease));

        Assert.Contains("worker-2", error.Message);
        Assert.Equal(lease, run.LeaseExpiresUtc);
    }

    [Fact]
    public void CancelRequestOnARunningManagedRunOnlyFlagsItUntilItsWorkerStops()
    {
        var run = RunBuilder.Running();

        run.RequestCancel(Later);

        Assert.Equal(RunStatus.Running, run.Status);
        Assert.True(run.CancelRequested);
        Assert.True(run.HoldsLease(RunBuilder.Worker));
        run.MarkCancelled(Later.AddSeconds(5));
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(Later.AddSeconds(5).UtcDateTime, run.FinishedUtc);
    }

    [Fact]
    public void CancelledBeforeAnyWorkerClaimedItTheRunStartsAndFinishesAtTheCancel()
    {
        var run = RunBuilder.Queued();

        run.RequestCancel(Later);

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal((Later.UtcDateTime, Later.UtcDateTime), (run.StartedUtc!.Value, run.FinishedUtc!.Value));
        Assert.Equal(TimeSpan.Zero, run.Duration);
    }

    [Theory]
    [InlineData(RunState.ManagedSucceeded, "succeeded")]
    [InlineData(RunState.ManagedFailed, "failed")]
    [InlineData(RunState.ExternalCancelled, "cancelled")]
    public void CancellingAFinishedRunIsRefusedSayingHowItEnded(RunState state, string said)
    {
        var run = RunBuilder.In(state);

        var error = Assert.Throws<InvalidOperationException>(() => run.RequestCancel(Later));

        Assert.Equal($"The run is already {said}.", error.Message);
    }

    [Fact]
    public void RequeueByAStoppingWorkerHandsTheAttemptBackAndReleasesTheLease()
    {
        var run = RunBuilder.Running();

        run.Requeue();

        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal(0, run.Attempt);
        Assert.Null(run.LeaseOwner);
        Assert.Null(run.LeaseExpiresUtc);
        Assert.Equal("requeued", run.ProgressStage);
    }

    [Fact]
    public void ExternalRunIsNotSentToAQueueNoWorkerReads()
    {
        var run = RunBuilder.External();

        Assert.Throws<InvalidOperationException>(run.Requeue);

        Assert.Equal(RunStatus.Running, run.Status);
    }

    [Fact]
    public void ExpiredLeaseIsRetriedWhileAttemptsRemain()
    {
        var run = RunBuilder.Running();

        run.RecoverExpiredLease(RunBuilder.LeaseExpired);

        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal(1, run.Attempt);
        Assert.Null(run.LeaseOwner);
        Assert.Contains(RunBuilder.Worker, run.ProgressStage);
    }

    [Fact]
    public void ExpiredLeaseOnTheLastAttemptFailsTheRunWithTheReason()
    {
        var run = RunBuilder.Running();
        for (var attempt = 2; attempt <= Run.DefaultMaxAttempts; attempt++)
        {
            run.RecoverExpiredLease(RunBuilder.LeaseExpired.AddMinutes(attempt));
            run.Claimed(RunBuilder.Worker, RunBuilder.LeaseExpired.AddMinutes(attempt), RunBuilder.Lease);
        }

        run.RecoverExpiredLease(Later.AddHours(1));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(Run.DefaultMaxAttempts, run.Attempt);
        Assert.Contains($"attempt {Run.DefaultMaxAttempts} of {Run.DefaultMaxAttempts}", run.FailureReason);
        Assert.Null(run.LeaseOwner);
    }

    [Fact]
    public void LeaseThatHasNotRunOutIsLeftWithItsWorker()
    {
        var run = RunBuilder.Running();

        run.RecoverExpiredLease(RunBuilder.ClaimedAt + RunBuilder.Lease - TimeSpan.FromSeconds(1));

        Assert.Equal(RunStatus.Running, run.Status);
        Assert.True(run.HoldsLease(RunBuilder.Worker));
    }

    [Fact]
    public void ExpiredLeaseOfARunWhoseCancelWasRequestedEndsItCancelledInsteadOfRetryingIt()
    {
        var run = RunBuilder.Running();
        run.RequestCancel(RunBuilder.ClaimedAt.AddSeconds(10));

        run.RecoverExpiredLease(RunBuilder.LeaseExpired);

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(RunBuilder.LeaseExpired.UtcDateTime, run.FinishedUtc);
        Assert.Null(run.LeaseOwner);
    }

    [Fact]
    public void WorkerStoppingAfterItsRunWasFailedCannotRewriteItAsCancelled()
    {
        var run = RunBuilder.In(RunState.ManagedFailed);
        var finished = run.FinishedUtc;

        Assert.Throws<InvalidOperationException>(() => run.MarkCancelled(Later));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(finished, run.FinishedUtc);
    }

    [Fact]
    public void FailureReasonIsCutToTheLengthTheDatabaseKeeps()
    {
        var run = RunBuilder.Running();

        run.Fail(Later, new string('x', Run.MaxReasonLength + 50));

        Assert.Equal(Run.MaxReasonLength, run.FailureReason!.Length);
    }

    [Fact]
    public void QueuedRunThatFailsGetsAStartTimeSoItsDurationIsZero()
    {
        var run = RunBuilder.Queued();

        run.Fail(Later, "Dataset is gone.");

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(TimeSpan.Zero, run.Duration);
    }

    [Fact]
    public void SucceededRunRecordsItsModelAndDropsANonFiniteMetric()
    {
        var run = RunBuilder.Running();

        run.Succeed(Later, new string('d', 64), 2048, "4.0.0", "rSquared", double.NaN);

        Assert.Equal((new string('d', 64), 2048L, "rSquared"), (run.ModelSha256, run.ModelBytes!.Value, run.PrimaryMetric));
        Assert.Null(run.PrimaryMetricValue);
        Assert.Equal((1d, "done"), (run.Progress, run.ProgressStage));
        Assert.Equal(Later - RunBuilder.ClaimedAt, run.Duration);
    }

    [Fact]
    public void ExternalRunReportedSucceededKeepsTheModelAndMetricItLogged()
    {
        var run = RunBuilder.External();
        run.AttachModel(new string('e', 64), 99);
        run.SetPrimaryMetric("rmse", 1.5);

        run.EndExternal(RunStatus.Succeeded, Later, null);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal((new string('e', 64), 99L), (run.ModelSha256, run.ModelBytes!.Value));
        Assert.Equal(("rmse", 1.5), (run.PrimaryMetric, run.PrimaryMetricValue!.Value));
    }

    [Fact]
    public void ExternalRunReportedFailedWithoutAReasonSaysItsOwnerReportedIt()
    {
        var run = RunBuilder.External();

        run.EndExternal(RunStatus.Failed, Later, null);

        Assert.Equal("Reported failed by its owner.", run.FailureReason);
    }

    [Fact]
    public void EndStatusForAManagedRunIsRefused()
    {
        var run = RunBuilder.Running();

        var error = Assert.Throws<InvalidOperationException>(() => run.EndExternal(RunStatus.Succeeded, Later, null));

        Assert.Contains("externally tracked", error.Message);
        Assert.Equal(RunStatus.Running, run.Status);
    }

    [Theory]
    [InlineData(RunStatus.Queued)]
    [InlineData(RunStatus.Running)]
    public void EndStatusThatIsNotAnOutcomeIsRefusedAndTheRunKeepsRunning(RunStatus status)
    {
        var run = RunBuilder.External();

        Assert.Throws<ArgumentException>(() => run.EndExternal(status, Later, null));

        Assert.Equal(RunStatus.Running, run.Status);
    }

    [Fact]
    public void ProgressIsClampedAndALongStageCut()
    {
        var run = RunBuilder.Running();

        run.Report(1.7, new string('s', 300));

        Assert.Equal(1, run.Progress);
        Assert.Equal(128, run.ProgressStage!.Length);
    }
}
