using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Monitoring;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Monitoring;

/// <summary>
/// The monitoring loop as a real process (<c>dotnet Portal.Worker.dll</c>) against a SQLite file while traffic streams in: killed
/// with SIGKILL mid-stream and started again, it resumes from the committed cursor; every logged row lands in exactly one window
/// of each kind, none lost, none written twice.
/// </summary>
public sealed class MonitoringCrashTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>, IAsyncLifetime
{
    private static readonly MonitoringPolicy Policy = MonitoringPolicy.Default with { WindowMinutes = 1, WindowRows = 60 };
    /// <summary>A worker process starts in seconds, or in minutes on a machine shared with several builds.</summary>
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(4);

    private readonly TestWorker worker = new(database, TimeProvider.System);
    private readonly WorkerProcesses workers = new(database.Folder);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await workers.DisposeAsync();

    [Fact]
    public async Task AKilledWorkerRestartedMidStreamLosesNoWindowAndWritesNoneTwice()
    {
        var scenario = new MonitoringScenario(database, worker);
        var champion = await scenario.ChampionAsync(Policy);
        var rows = MonitoringScenario.Rows(champion, 2000, seed: 21).Select(r => r.Row).ToList();
        using var streaming = new CancellationTokenSource();
        var served = new List<(DateTime At, int Rows)>();
        var traffic = Task.Run(async () =>
        {
            // A request of 10 to 30 rows every 50 ms, stamped with the time it arrives, as the predict endpoint logs it.
            var random = new Random(5);
            for (var at = 0; !streaming.IsCancellationRequested; at++)
            {
                var size = random.Next(10, 31);
                var batch = await scenario.ServeAsync(champion, [.. Enumerable.Range(0, size).Select(i => rows[((at * 31) + i) % rows.Count])], DateTimeOffset.UtcNow);
                lock (served)
                {
                    served.Add((batch.ReceivedUtc, size));
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);

        var first = Start("monitor-a");
        await workers.WaitForAsync(async () => (await scenario.WindowsAsync(champion.ModelId, WindowKind.Count)).Count >= 5, "monitor-a to write 5 count windows", StartUp);
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        var atKill = await scenario.WindowsAsync(champion.ModelId, WindowKind.Count);
        Start("monitor-b");
        await workers.WaitForAsync(async () => (await scenario.WindowsAsync(champion.ModelId, WindowKind.Count)).Count >= atKill.Count + 5,
            "monitor-b to write 5 more count windows", StartUp);
        await streaming.CancelAsync();
        await traffic;
        var lastBatch = served.Max(s => s.At);
        await workers.WaitForAsync(async () => (await scenario.CursorAsync(champion.ModelId, WindowKind.Time))?.LastReceivedUtc >= lastBatch.AddMinutes(-1),
            "monitor-b to close the time windows", TimeSpan.FromMinutes(3));

        foreach (var kind in new[] { WindowKind.Count, WindowKind.Time })
        {
            var windows = await scenario.WindowsAsync(champion.ModelId, kind);
            var cursor = (await scenario.CursorAsync(champion.ModelId, kind))!;
            var consumed = served.Where(s => s.At <= cursor.LastReceivedUtc).ToList();
            Assert.True(windows.Count > 0, $"{kind}: no window\n{workers.Output}");
            Assert.Equal(windows.Count, windows.Select(w => w.StartUtc).Distinct().Count());
            Assert.All(windows.Zip(windows.Skip(1)), p => Assert.True(p.First.EndUtc <= p.Second.StartUtc, $"{kind} windows overlap: {p.First.EndUtc:o} > {p.Second.StartUtc:o}"));
            Assert.Equal(consumed.Sum(s => (long)s.Rows), windows.Sum(w => w.Rows));
            Assert.All(windows, w => Assert.Equal(w.Rows, w.Predictions.Sum(p => p.Count)));
        }

        Assert.Contains(atKill[^1].Id, (await scenario.WindowsAsync(champion.ModelId, WindowKind.Count)).Select(w => w.Id));
        Assert.Contains("monitor-b", (await scenario.CursorAsync(champion.ModelId, WindowKind.Count))!.LeaseOwner);
    }

    private System.Diagnostics.Process Start(string name) => workers.Start(name, new Dictionary<string, string>
    {
        ["Monitoring__IntervalSeconds"] = "1",
        ["Monitoring__GraceSeconds"] = "1",
        ["Monitoring__LeaseSeconds"] = "3",
        ["Rollouts__Enabled"] = "false",
    });
}
