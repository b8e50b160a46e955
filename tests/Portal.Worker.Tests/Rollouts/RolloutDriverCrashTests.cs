using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Rollouts;

/// <summary>
/// The rollout driver as a real process (<c>dotnet Portal.Worker.dll</c>) against a SQLite file: killed with SIGKILL in the
/// middle of a step, the next worker resumes from the recorded step once the lease lapses; no step lost, none repeated, the
/// promotion made once.
/// </summary>
public sealed class RolloutDriverCrashTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>, IAsyncLifetime
{
    private readonly TestWorker worker = new(database, TimeProvider.System);
    private readonly WorkerProcesses workers = new(database.Folder);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await workers.DisposeAsync();

    [Fact]
    public async Task KilledDriversSuccessorResumesFromTheRecordedStepWithoutRepeatingOrLosingOne()
    {
        var scenario = new RolloutScenario(database.Factory, worker);
        var rollout = await scenario.StartedAsync(DateTimeOffset.UtcNow.AddMinutes(-1));
        await scenario.GoodTrafficAsync(rollout.Id, DateTimeOffset.UtcNow.AddSeconds(-30));

        var first = StartWorker("driver-a");
        await WaitForAsync(async () => (await scenario.RolloutAsync(rollout.Id)) is { StepIndex: 1, LeaseOwner: "driver-a" }, "driver-a to pass step 1");
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        var atKill = await scenario.RolloutAsync(rollout.Id);
        // Killed mid-step 2: its lease still runs; the step's traffic arrives while nobody drives.
        Assert.Equal((RolloutState.Running, 1, 50, "driver-a"), (atKill.State, atKill.StepIndex, atKill.CanaryPercent, atKill.LeaseOwner));
        Assert.Single(atKill.Verdicts);
        await scenario.GoodTrafficAsync(rollout.Id, DateTimeOffset.UtcNow);

        StartWorker("driver-b");
        await WaitForAsync(async () => (await scenario.RolloutAsync(rollout.Id)).State != RolloutState.Running, "driver-b to finish the rollout");

        var done = await scenario.RolloutAsync(rollout.Id);
        Assert.True(done.State == RolloutState.Completed, $"{done.State}: {done.Reason}\n{workers.Output}");
        Assert.Equal([0, 1], done.Verdicts.Select(v => v.StepIndex));
        Assert.All(done.Verdicts, v => Assert.True(v.Passed));
        Assert.Equal(
            [(AuditActions.RolloutStepAdvanced.Name, "driver-a"), (AuditActions.RolloutCompleted.Name, "driver-b")],
            await scenario.AuditAsync(rollout.Id));
        var model = await scenario.ModelAsync(rollout.ModelId);
        Assert.Equal(2, model.Champion!.Number);
        Assert.Equal(ModelStage.Archived, model.FindVersion(1)!.Stage);
        Assert.Equal([1, 2], model.ProductionHistory.Select(p => p.VersionNumber));
        Assert.Equal(1, await TransitionsAsync(rollout.CanaryVersionId));
    }

    private async Task<int> TransitionsAsync(ModelVersionId versionId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var subject = AuditSubject.ModelVersion(versionId);
        return await db.AuditEntries.CountAsync(a => a.Action == AuditActions.ModelVersionTransitioned.Name && a.SubjectId == subject.Id);
    }

    private Process StartWorker(string name) => workers.Start(name, new Dictionary<string, string>
    {
        ["Rollouts__IntervalSeconds"] = "1",
        ["Rollouts__LeaseSeconds"] = "3",
        ["Monitoring__Enabled"] = "false",
    });

    private Task WaitForAsync(Func<Task<bool>> condition, string what) => workers.WaitForAsync(condition, what);
}
