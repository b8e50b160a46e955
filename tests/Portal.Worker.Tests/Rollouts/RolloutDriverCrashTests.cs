using System.Collections.Concurrent;
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
    private readonly List<Process> processes = [];
    private readonly ConcurrentQueue<string> output = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

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
        Assert.True(done.State == RolloutState.Completed, $"{done.State}: {done.Reason}\n{string.Join("\n", output)}");
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

    private Process StartWorker(string name)
    {
        var assembly = WorkerAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__DataDirectory"] = database.Folder;
        start.Environment["Database__ConnectionString"] = "";
        start.Environment["Worker__WorkerId"] = name;
        start.Environment["Rollouts__IntervalSeconds"] = "1";
        start.Environment["Rollouts__LeaseSeconds"] = "3";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => output.Enqueue($"{name}: {e.Data}");
        process.ErrorDataReceived += (_, e) => output.Enqueue($"{name} !: {e.Data}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add(process);
        return process;
    }

    /// <summary>The standalone worker built beside this test run (same configuration).</summary>
    private static string WorkerAssembly()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
        {
            directory = directory.Parent;
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var assembly = Path.Combine(directory!.FullName, "src", "Portal.Worker", "bin", configuration, "net10.0", "Portal.Worker.dll");
        return File.Exists(assembly) ? assembly : throw new InvalidOperationException($"{assembly} is missing: build Portal.sln first.");
    }

    private async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited too long for {what}:\n{string.Join("\n", output)}");
            }

            await Task.Delay(100);
        }
    }
}
