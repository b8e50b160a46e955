using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Runs;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Training;

/// <summary>Claims and lease recovery, the Runs table being the queue (ADR 0004), each with its live event (ADR 0006).</summary>
public sealed class RunLeasesTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>, IAsyncLifetime
{
    private readonly TestWorker _worker = new(database);

    // Every test sees only its own runs: claims and recovery work on the whole queue.
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task OfFourWorkersClaimingOneQueuedRunAtOnceExactlyOneWins()
    {
        var runId = await _worker.NewRun().QueuedAsync();
        // All four read the run as queued before any of them saves.
        var arrived = 0;
        var allRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leases = _worker.Leases(new AfterQuery(AfterQuery.ReadsRuns, async () =>
        {
            if (Interlocked.Increment(ref arrived) == 4)
            {
                allRead.TrySetResult();
            }

            await allRead.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }));

        var claims = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
            Task.Run(() => leases.TryClaimAsync($"worker-{i}", TestWorker.Lease, CancellationToken.None))));

        var winner = Assert.Single(Enumerable.Range(1, 4), i => claims[i - 1] is not null);
        Assert.Equal(runId, claims[winner - 1]);
        var run = await _worker.RunAsync(runId);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal($"worker-{winner}", run.LeaseOwner);
        Assert.Equal(1, run.Attempt);
        // The losers' events were never committed.
        var claimed = Assert.Single(await _worker.EventsAsync(runId));
        Assert.Equal(RunStatus.Running, claimed.Change.Status);
    }

    [Fact]
    public async Task AClaimTellsSubscribersTheRunIsRunning()
    {
        var runId = await _worker.NewRun().QueuedAsync();

        await _worker.Leases().TryClaimAsync("worker-a", TestWorker.Lease, CancellationToken.None);

        var (_, change) = Assert.Single(await _worker.EventsAsync(runId));
        Assert.Equal(runId, change.RunId);
        Assert.Equal(RunStatus.Running, change.Status);
        Assert.Equal("claimed", change.Stage);
        Assert.False(change.Ended);
    }

    [Fact]
    public async Task AClaimWhoseCommitFailsLeavesTheRunQueuedAndNoEvent()
    {
        var runId = await _worker.NewRun().QueuedAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _worker.Leases(new FailingCommit()).TryClaimAsync("worker-a", TestWorker.Lease, CancellationToken.None));

        var run = await _worker.RunAsync(runId);
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Null(run.LeaseOwner);
        Assert.Empty(await _worker.EventsAsync(runId));
    }

    [Fact]
    public async Task ALeaseNotYetExpiredIsLeftToItsWorker()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        _worker.FakeTime.Advance(TestWorker.Lease - TimeSpan.FromSeconds(1));

        var recovered = await _worker.Leases().RecoverExpiredAsync(CancellationToken.None);

        Assert.Equal(0, recovered);
        var run = await _worker.RunAsync(runId);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal("worker-a", run.LeaseOwner);
        Assert.Single(await _worker.EventsAsync(runId));
    }

    [Fact]
    public async Task AnExpiredLeaseWithAttemptsLeftRequeuesTheRunWithALogLineAndAnEvent()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        _worker.FakeTime.Advance(TestWorker.Lease + TimeSpan.FromSeconds(1));

        var recovered = await _worker.Leases().RecoverExpiredAsync(CancellationToken.None);

        Assert.Equal(1, recovered);
        var run = await _worker.RunAsync(runId);
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Null(run.LeaseOwner);
        Assert.Equal(1, run.Attempt);
        const string line = "Worker worker-a stopped renewing its lease; the run is queued again (attempt 1 of 3 used).";
        Assert.Equal([line], await _worker.LogAsync(runId));
        var (_, change) = (await _worker.EventsAsync(runId))[^1];
        Assert.Equal(RunStatus.Queued, change.Status);
        Assert.Equal([line], change.LogLines.Select(l => l.Message));
        // Queued again, it is claimable by the next worker.
        Assert.Equal(runId, await _worker.Leases().TryClaimAsync("worker-b", TestWorker.Lease, CancellationToken.None));
    }

    [Fact]
    public async Task AnExpiredLeaseOnTheLastAttemptFailsTheRunWithTheReason()
    {
        var runId = await _worker.NewRun().QueuedAsync();
        for (var attempt = 1; attempt <= Run.DefaultMaxAttempts; attempt++)
        {
            await _worker.Leases().TryClaimAsync($"worker-{attempt}", TestWorker.Lease, CancellationToken.None);
            _worker.FakeTime.Advance(TestWorker.Lease + TimeSpan.FromSeconds(1));
            await _worker.Leases().RecoverExpiredAsync(CancellationToken.None);
        }

        var run = await _worker.RunAsync(runId);
        const string reason = "Worker worker-3 stopped responding (lease expired) on attempt 3 of 3; not retried again.";
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(reason, run.FailureReason);
        Assert.Equal(reason, (await _worker.LogAsync(runId))[^1]);
        var (_, change) = (await _worker.EventsAsync(runId))[^1];
        Assert.Equal(RunStatus.Failed, change.Status);
        Assert.Equal(reason, change.FailureReason);
        Assert.Equal([reason], change.LogLines.Select(l => l.Message));
        Assert.Null(await _worker.Leases().TryClaimAsync("worker-4", TestWorker.Lease, CancellationToken.None));
    }

    [Fact]
    public async Task AnExpiredLeaseOfARunToBeCancelledEndsItCancelled()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        await _worker.ChangeAsync(runId, run => run.RequestCancel(_worker.Time.GetUtcNow()));
        _worker.FakeTime.Advance(TestWorker.Lease + TimeSpan.FromSeconds(1));

        await _worker.Leases().RecoverExpiredAsync(CancellationToken.None);

        var run = await _worker.RunAsync(runId);
        const string line = "Worker worker-a stopped renewing its lease; the run was to be cancelled, so it ends cancelled.";
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(line, (await _worker.LogAsync(runId))[^1]);
        var (_, change) = (await _worker.EventsAsync(runId))[^1];
        Assert.Equal(RunStatus.Cancelled, change.Status);
        Assert.True(change.Ended);
        Assert.Equal([line], change.LogLines.Select(l => l.Message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task ARecoveryThatLosesTheRaceForOneRunStillRecoversTheOtherExpiredRuns(int contested)
    {
        // Both orders: whichever of the two is saved first, losing it must not end the pass.
        RunId[] runs = [await _worker.ClaimedRunAsync("worker-a"), await _worker.ClaimedRunAsync("worker-a")];
        _worker.FakeTime.Advance(TestWorker.Lease + TimeSpan.FromSeconds(1));
        // Between this worker's read of the expired runs and its saves, another worker recovers one of them.
        var leases = _worker.Leases(new AfterQuery(
            sql => AfterQuery.ReadsRuns(sql) && sql.Contains("LeaseExpiresUtc", StringComparison.Ordinal),
            () => _worker.ChangeAsync(runs[contested], run => run.RecoverExpiredLease(_worker.Time.GetUtcNow()), "recovered by worker-b")));

        var recovered = await leases.RecoverExpiredAsync(CancellationToken.None);

        Assert.Equal(1, recovered);
        var other = runs[1 - contested];
        Assert.Equal(RunStatus.Queued, (await _worker.RunAsync(other)).Status);
        Assert.Equal(RunStatus.Queued, (await _worker.EventsAsync(other))[^1].Change.Status);
        Assert.Single(await _worker.LogAsync(other));
        // The contested run was recovered once, by the other worker: one log line, one event after the claim.
        Assert.Equal(["recovered by worker-b"], await _worker.LogAsync(runs[contested]));
        Assert.Equal(2, (await _worker.EventsAsync(runs[contested])).Count);
    }
}
