using Portal.Domain.Runs;
using static Portal.Domain.Tests.Runs.RunOperation;

namespace Portal.Domain.Tests.Runs;

/// <summary>
/// Every operation applied to a run in every state it can be in: the allowed ones land in the status the table
/// says; every other pair is refused with an exception and leaves the run exactly as it was.
/// </summary>
public sealed class RunTransitionMatrixTests
{
    private static readonly DateTimeOffset Now = RunBuilder.ClaimedAt.AddMinutes(10);

    /// <summary>The allowed operations per state and where each leads. A pair not listed here is refused.</summary>
    private static readonly Dictionary<RunState, Dictionary<RunOperation, RunStatus>> Allowed = new()
    {
        [RunState.ManagedQueued] = new()
        {
            [Claim] = RunStatus.Running,
            [Fail] = RunStatus.Failed,
            [RequestCancel] = RunStatus.Cancelled,
            [MarkCancelled] = RunStatus.Cancelled,
            [RecoverExpiredLease] = RunStatus.Queued, // nothing to recover: left as it is
        },
        [RunState.ManagedRunning] = new()
        {
            [RenewLease] = RunStatus.Running,
            [Succeed] = RunStatus.Succeeded,
            [Fail] = RunStatus.Failed,
            [RequestCancel] = RunStatus.Running, // flagged; its worker stops it
            [MarkCancelled] = RunStatus.Cancelled,
            [Requeue] = RunStatus.Queued,
            [RecoverExpiredLease] = RunStatus.Queued, // first attempt of three: retried
        },
        [RunState.ManagedSucceeded] = new() { [RecoverExpiredLease] = RunStatus.Succeeded },
        [RunState.ManagedFailed] = new() { [RecoverExpiredLease] = RunStatus.Failed },
        [RunState.ManagedCancelled] = new() { [RecoverExpiredLease] = RunStatus.Cancelled },
        [RunState.ExternalRunning] = new()
        {
            [Succeed] = RunStatus.Succeeded,
            [Fail] = RunStatus.Failed,
            [RequestCancel] = RunStatus.Cancelled, // no worker to stop it: cancelled at once
            [MarkCancelled] = RunStatus.Cancelled,
            [RecoverExpiredLease] = RunStatus.Running, // holds no lease: left as it is
            [EndExternalSucceeded] = RunStatus.Succeeded,
            [EndExternalFailed] = RunStatus.Failed,
            [EndExternalCancelled] = RunStatus.Cancelled,
        },
        [RunState.ExternalSucceeded] = new() { [RecoverExpiredLease] = RunStatus.Succeeded },
        [RunState.ExternalFailed] = new() { [RecoverExpiredLease] = RunStatus.Failed },
        [RunState.ExternalCancelled] = new() { [RecoverExpiredLease] = RunStatus.Cancelled },
    };

    public static TheoryData<RunState, RunOperation, RunStatus> AllowedTransitions()
    {
        var data = new TheoryData<RunState, RunOperation, RunStatus>();
        foreach (var (state, operations) in Allowed)
        {
            foreach (var (operation, status) in operations)
            {
                data.Add(state, operation, status);
            }
        }

        return data;
    }

    public static TheoryData<RunState, RunOperation> RefusedTransitions()
    {
        var data = new TheoryData<RunState, RunOperation>();
        foreach (var state in Enum.GetValues<RunState>())
        {
            foreach (var operation in Enum.GetValues<RunOperation>().Where(o => !Allowed[state].ContainsKey(o)))
            {
                data.Add(state, operation);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void AllowedOperationMovesTheRunToTheStatusTheTableGives(RunState state, RunOperation operation, RunStatus expected)
    {
        var run = RunBuilder.In(state);

        Apply(run, operation);

        Assert.Equal(expected, run.Status);
        Assert.Equal(expected is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled, run.IsTerminal);
        if (run.IsTerminal)
        {
            Assert.NotNull(run.FinishedUtc);
            Assert.False(run.HoldsLease(RunBuilder.Worker));
        }
    }

    [Theory]
    [MemberData(nameof(RefusedTransitions))]
    public void RefusedOperationThrowsAndLeavesTheRunAsItWas(RunState state, RunOperation operation)
    {
        var run = RunBuilder.In(state);
        var before = RunSnapshot.Of(run);

        var error = Record.Exception(() => Apply(run, operation));

        Assert.True(error is InvalidOperationException or ArgumentException, $"{operation} on {state} was not refused ({error?.GetType().Name ?? "no exception"}).");
        Assert.Equal(before, RunSnapshot.Of(run));
    }

    [Fact]
    public void EveryStateHasARowInTheTable() =>
        Assert.Equal(Enum.GetValues<RunState>().Order(), Allowed.Keys.Order());

    [Theory]
    [InlineData(RunState.ManagedQueued, RunStatus.Queued, RunMode.Managed)]
    [InlineData(RunState.ManagedRunning, RunStatus.Running, RunMode.Managed)]
    [InlineData(RunState.ManagedSucceeded, RunStatus.Succeeded, RunMode.Managed)]
    [InlineData(RunState.ManagedFailed, RunStatus.Failed, RunMode.Managed)]
    [InlineData(RunState.ManagedCancelled, RunStatus.Cancelled, RunMode.Managed)]
    [InlineData(RunState.ExternalRunning, RunStatus.Running, RunMode.External)]
    [InlineData(RunState.ExternalSucceeded, RunStatus.Succeeded, RunMode.External)]
    [InlineData(RunState.ExternalFailed, RunStatus.Failed, RunMode.External)]
    [InlineData(RunState.ExternalCancelled, RunStatus.Cancelled, RunMode.External)]
    public void BuilderReachesEachStateThroughTheRunsOwnMethods(RunState state, RunStatus status, RunMode mode)
    {
        var run = RunBuilder.In(state);

        Assert.Equal((status, mode), (run.Status, run.Mode));
    }

    private static void Apply(Run run, RunOperation operation)
    {
        switch (operation)
        {
            case Claim:
                run.Claimed(RunBuilder.Worker, Now, RunBuilder.Lease);
                break;
            case RenewLease:
                run.RenewLease(RunBuilder.Worker, Now, RunBuilder.Lease);
                break;
            case Succeed:
                run.Succeed(Now, new string('c', 64), 10, "4.0.0", "rSquared", 0.5);
                break;
            case Fail:
                run.Fail(Now, "Training was interrupted.");
                break;
            case RequestCancel:
                run.RequestCancel(Now);
                break;
            case MarkCancelled:
                run.MarkCancelled(Now);
                break;
            case Requeue:
                run.Requeue();
                break;
            case RecoverExpiredLease:
                run.RecoverExpiredLease(Now);
                break;
            case EndExternalSucceeded:
                run.EndExternal(RunStatus.Succeeded, Now, null);
                break;
            case EndExternalFailed:
                run.EndExternal(RunStatus.Failed, Now, "diverged");
                break;
            case EndExternalCancelled:
                run.EndExternal(RunStatus.Cancelled, Now, null);
                break;
            case EndExternalQueued:
                run.EndExternal(RunStatus.Queued, Now, null);
                break;
            case EndExternalRunning:
                run.EndExternal(RunStatus.Running, Now, null);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }
}

/// <summary>What the portal, its workers and external clients can do to a run.</summary>
public enum RunOperation
{
    Claim,
    RenewLease,
    Succeed,
    Fail,
    RequestCancel,
    MarkCancelled,
    Requeue,
    RecoverExpiredLease,
    EndExternalSucceeded,
    EndExternalFailed,
    EndExternalCancelled,
    EndExternalQueued,
    EndExternalRunning,
}

/// <summary>Everything about a run that a transition may change.</summary>
internal sealed record RunSnapshot(
    RunStatus Status, int Attempt, string? LeaseOwner, DateTime? LeaseExpiresUtc, DateTime? StartedUtc, DateTime? FinishedUtc,
    bool CancelRequested, string? FailureReason, double Progress, string? ProgressStage, string? ModelSha256)
{
    public static RunSnapshot Of(Run run) => new(run.Status, run.Attempt, run.LeaseOwner, run.LeaseExpiresUtc, run.StartedUtc,
        run.FinishedUtc, run.CancelRequested, run.FailureReason, run.Progress, run.ProgressStage, run.ModelSha256);
}
