using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Data.Live;
using Portal.Data.Serving;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;
using Portal.Worker.Rollouts;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Rollouts;

/// <summary>The rollout driver over a real SQLite database: counts in SQL, judges, applies, and never advances a step twice.</summary>
public sealed class RolloutDriverTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly TestWorker worker = new(database);

    private RolloutScenario Scenario => new(database.Factory, worker);

    private DateTimeOffset Now => worker.Time.GetUtcNow();

    [Fact]
    public async Task ArmCountsAreAggregatedPerArmOverTheWindowOnly()
    {
        var rollout = await Scenario.StartedAsync(Now);
        await Scenario.TrafficAsync(rollout.Id, ServingArm.Canary, 30, 30, Now.AddMinutes(-1));
        await Scenario.TrafficAsync(rollout.Id, ServingArm.Canary, 20, 15, Now.AddMinutes(1), errors: 2);
        await Scenario.TrafficAsync(rollout.Id, ServingArm.Champion, 40, 10, Now.AddMinutes(2), errors: 1);
        await Scenario.TrafficAsync(rollout.Id, ServingArm.Champion, 10, 10, Now.AddMinutes(10));

        await using var db = await database.Factory.CreateDbContextAsync();
        var counts = await RolloutArmQuery.CountAsync(db, rollout.Id, Now.UtcDateTime, Now.AddMinutes(5).UtcDateTime, default);

        Assert.Equal(new RolloutArmCounts(20, 2, 20, 15, 0, 0, 0), counts.Canary);
        Assert.Equal(new RolloutArmCounts(40, 1, 40, 10, 0, 0, 0), counts.Champion);
    }

    [Fact]
    public async Task RegressionErrorsAreSummedInSql()
    {
        var rollout = await Scenario.StartedAsync(Now);
        await Scenario.TrafficAsync(rollout.Id, ServingArm.Canary, 4, 0, Now.AddMinutes(1), regression: true, absoluteError: 1.0);

        await using var db = await database.Factory.CreateDbContextAsync();
        var counts = await RolloutArmQuery.CountAsync(db, rollout.Id, Now.UtcDateTime, Now.AddMinutes(5).UtcDateTime, default);

        // |errors| 1.1, 0.9, 1.1, 0.9: sum 4, sum of squares 2·1.21 + 2·0.81 = 4.04.
        Assert.Equal((0, 4), (counts.Canary.ClassifiedLabelled, counts.Canary.RegressionLabelled));
        Assert.Equal(4.0, counts.Canary.SumAbsoluteError, 9);
        Assert.Equal(4.04, counts.Canary.SumSquaredAbsoluteError, 9);
        Assert.True(counts.IsRegression);
    }

    [Fact]
    public async Task PassedStepAdvancesWithAnAuditEntryALiveEventAndANewWindow()
    {
        var rollout = await Scenario.StartedAsync(Now);
        await Scenario.GoodTrafficAsync(rollout.Id, Now.AddSeconds(30));
        Assert.Single(await new RolloutLeases(database.Factory, worker.Time).ClaimAsync("w1", Lease, 100, default), id => id == rollout.Id);
        worker.FakeTime.Advance(TimeSpan.FromMinutes(1));

        var result = await Scenario.Driver(worker.Time).DriveAsync(rollout.Id, "w1", Lease, default);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(RolloutMove.Advanced, result.Value!.Move);
        var stored = await Scenario.RolloutAsync(rollout.Id);
        Assert.Equal((1, 50, Now.UtcDateTime), (stored.StepIndex, stored.CanaryPercent, stored.StepStartedUtc));
        Assert.True(Assert.Single(stored.Verdicts).Passed);
        Assert.Contains((AuditActions.RolloutStepAdvanced.Name, "w1"), await Scenario.AuditAsync(rollout.Id));
        Assert.Contains(await EventsAsync(LiveTopics.Rollout(rollout.Id)), e => e.StepIndex == 1 && e.CanaryPercent == 50);
    }

    [Fact]
    public async Task CompletionMakesTheCanaryTheChampionWithHistoryAndArchivesTheOldOne()
    {
        var rollout = await Scenario.StartedAsync(Now, RolloutScenario.Policy with { Steps = [50, 100] });
        await Scenario.GoodTrafficAsync(rollout.Id, Now.AddSeconds(30));
        await new RolloutLeases(database.Factory, worker.Time).ClaimAsync("w1", Lease, 100, default);
        worker.FakeTime.Advance(TimeSpan.FromMinutes(1));

        var result = await Scenario.Driver(worker.Time).DriveAsync(rollout.Id, "w1", Lease, default);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(RolloutMove.Completed, result.Value!.Move);
        var model = await Scenario.ModelAsync(rollout.ModelId);
        Assert.Equal(2, model.Champion!.Number);
        Assert.Equal(ModelStage.Archived, model.FindVersion(1)!.Stage);
        Assert.Equal([1, 2], model.ProductionHistory.Select(p => p.VersionNumber));
        Assert.False(model.ProductionHistory[0].IsOpen);
        Assert.Equal(rollout.Transition.RequestId, model.ProductionHistory[1].RequestId);
        Assert.Equal((RolloutState.Completed, 100), ((await Scenario.RolloutAsync(rollout.Id)).State, (await Scenario.RolloutAsync(rollout.Id)).CanaryPercent));
        Assert.Contains((AuditActions.RolloutCompleted.Name, "w1"), await Scenario.AuditAsync(rollout.Id));
    }

    [Fact]
    public async Task WorseCanaryIsRolledBackWithItsReasonAuditedAndAnAlertOnTheFeedAndTheInbox()
    {
        var rollout = await Scenario.StartedAsync(Now);
        await Scenario.TrafficAsync(rollout.Id, ServingArm.Champion, 400, 360, Now.AddSeconds(30));
        await Scenario.TrafficAsync(rollout.Id, ServingArm.Canary, 400, 240, Now.AddSeconds(30));
        await new RolloutLeases(database.Factory, worker.Time).ClaimAsync("w1", Lease, 100, default);
        worker.FakeTime.Advance(TimeSpan.FromMinutes(1));

        var result = await Scenario.Driver(worker.Time).DriveAsync(rollout.Id, "w1", Lease, default);

        Assert.Equal(RolloutMove.RolledBack, result.Value!.Move);
        var stored = await Scenario.RolloutAsync(rollout.Id);
        Assert.Equal((RolloutState.RolledBack, 0, (string?)null), (stored.State, stored.CanaryPercent, stored.LeaseOwner));
        Assert.Contains("accuracy is worse", stored.Reason);
        Assert.Equal(1, (await Scenario.ModelAsync(rollout.ModelId)).Champion!.Number);
        Assert.Contains((AuditActions.RolloutRolledBack.Name, "w1"), await Scenario.AuditAsync(rollout.Id));
        Assert.Contains(await EventsAsync(LiveTopics.Inbox), e => e.RolloutId == rollout.Id && e.State == RolloutState.RolledBack);

        // The alert: on the alerts feed (a live event), on the canary's version, linking to the rollout, audited in the same commit.
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var alert = await db.MonitoringAlerts.AsNoTracking().SingleAsync(a => a.RolloutId == rollout.Id);
        Assert.Equal((AlertRule.RolloutRolledBack, AlertSeverity.Critical, AlertStatus.Open, 2, (MonitoringWindowId?)null),
            (alert.Rule, alert.Severity, alert.Status, alert.VersionNumber, alert.WindowId));
        Assert.Contains("accuracy is worse", alert.Message);
        Assert.Contains("version 1 stays the champion", alert.Message);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.AlertRaised.Name && e.SubjectId == alert.Id.ToString() && e.ActorId == "w1"));
        var published = (await db.LiveEvents.Where(e => e.Topic == LiveTopics.Alerts).ToListAsync()).Select(e => LiveEventJson.Read(e.Type, e.Payload)).OfType<AlertChanged>();
        Assert.Contains(published, e => e.AlertId == alert.Id && e.Rule == AlertRule.RolloutRolledBack);
    }

    [Fact]
    public async Task OfTwoWorkersClaimingAtOnceOnlyOneDrivesTheRollout()
    {
        var rollout = await Scenario.StartedAsync(Now);
        var leases = new RolloutLeases(database.Factory, worker.Time);

        var claims = await Task.WhenAll(leases.ClaimAsync("a", Lease, 100, default), leases.ClaimAsync("b", Lease, 100, default));

        Assert.Equal(1, claims.Count(c => c.Contains(rollout.Id)));
        var loser = claims[0].Contains(rollout.Id) ? "b" : "a";
        Assert.DoesNotContain(rollout.Id, await leases.ClaimAsync(loser, Lease, 100, default));
        worker.FakeTime.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Contains(rollout.Id, await leases.ClaimAsync(loser, Lease, 100, default));
    }

    [Fact]
    public async Task TwoDriversJudgingTheSameStepAtOnceAdvanceItOnce()
    {
        var rollout = await Scenario.StartedAsync(Now);
        await Scenario.GoodTrafficAsync(rollout.Id, Now.AddSeconds(30));
        await new RolloutLeases(database.Factory, worker.Time).ClaimAsync("w1", Lease, 100, default);
        worker.FakeTime.Advance(TimeSpan.FromMinutes(1));
        var barrier = new RolloutSaveBarrier(2);
        var racing = database.CreateFactory(barrier);

        // Both read step 1 and its passing traffic before either writes (the barrier), then commit at the same instant.
        var results = await Task.WhenAll(
            Scenario.Driver(worker.Time, racing).DriveAsync(rollout.Id, "w1", Lease, default),
            Scenario.Driver(worker.Time, racing).DriveAsync(rollout.Id, "w1", Lease, default));

        Assert.True(barrier.Released);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(1, results.Count(r => r.Value!.Move == RolloutMove.Advanced));
        Assert.Equal(1, results.Count(r => r.Value!.Move == RolloutMove.Stay));
        var stored = await Scenario.RolloutAsync(rollout.Id);
        Assert.Equal(1, stored.StepIndex);
        Assert.Single(stored.Verdicts);
        Assert.Single(await Scenario.AuditAsync(rollout.Id), a => a.Action == AuditActions.RolloutStepAdvanced.Name);
    }

    private async Task<List<RolloutChanged>> EventsAsync(string topic)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var rows = await db.LiveEvents.Where(e => e.Topic == topic).OrderBy(e => e.Sequence).ToListAsync();
        return [.. rows.Select(r => LiveEventJson.Read(r.Type, r.Payload)).OfType<RolloutChanged>()];
    }

    /// <summary>Holds the first <paramref name="parties"/> saves that change a rollout at the start of their transaction until all have arrived.</summary>
    private sealed class RolloutSaveBarrier(int parties) : DbTransactionInterceptor
    {
        private readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int arrived;

        public bool Released => all.Task.IsCompletedSuccessfully;

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context?.ChangeTracker.Entries<Rollout>().Any(e => e.State == EntityState.Modified) == true)
            {
                var n = Interlocked.Increment(ref arrived);
                if (n == parties)
                {
                    all.TrySetResult();
                }

                if (n <= parties)
                {
                    await all.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                }
            }

            return result;
        }
    }
}
