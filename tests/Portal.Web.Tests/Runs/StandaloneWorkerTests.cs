using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Domain.Security;
using Portal.Ml.DemoData;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs;

/// <summary>
/// The training host as its own process (<c>dotnet Portal.Worker.dll</c>) against the portal's database: killed
/// mid-run, its run is retried by another worker; stopped with SIGTERM, it hands the run back to the queue.
/// </summary>
public sealed class StandaloneWorkerTests : IAsyncLifetime
{
    private readonly PortalAppFactory portal = new();
    private readonly List<Process> workers = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var worker in workers.Where(w => !w.HasExited))
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }

        await portal.DisposeAsync();
    }

    [Fact]
    public async Task KilledWorkersRunIsRetriedByAnotherWorkerAndFinishes()
    {
        var (client, runId) = await SubmitLongRunAsync();
        var first = StartWorker("worker-a");
        await WaitForAsync(() => Owner(runId) == "worker-a", "worker-a to claim the run");

        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        StartWorker("worker-b");
        var run = await client.WaitForRunAsync(runId, TimeSpan.FromMinutes(3));

        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("attempt").GetInt32());
        var log = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        Assert.Contains(portal.QueryColumn("SELECT Message FROM RunLogLines WHERE RunId = $id", ("$id", runId.ToString().ToUpperInvariant())),
            line => line.Contains("worker-a stopped renewing its lease"));
        Assert.Equal("Succeeded", log.GetProperty("status").GetString());
        // The curve is the successful attempt's alone: one point per step and key.
        var curve = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics?keys=validation.logLoss");
        var steps = curve.GetProperty("validation.logLoss").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(steps.Distinct().Count(), steps.Count);
    }

    [Fact]
    public async Task SigtermHandsTheRunBackToTheQueueWithoutSpendingAnAttempt()
    {
        var (client, runId) = await SubmitLongRunAsync();
        var worker = StartWorker("worker-c");
        await WaitForAsync(() => Owner(runId) == "worker-c", "worker-c to claim the run");

        using (var term = Process.Start("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        var termAt = DateTime.UtcNow;
        await worker.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        output.Enqueue($"exit {worker.ExitCode} after {(DateTime.UtcNow - termAt).TotalSeconds:0.0}s");
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");

        Assert.True(run.GetProperty("status").GetString() == "Queued", string.Join("\n", output));
        Assert.Equal(0, run.GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task StandaloneWorkersCurveReachesTheWebProcesssHubSubscribersLiveThroughTheOutbox()
    {
        var (client, runId) = await SubmitLongRunAsync();
        var reader = await TokenFactory.CreateAsync(portal.Services, DemoAccounts.Manager, ApiScopes.Read);
        await using var subscriber = await RunsHubSubscriber.ConnectAsync(portal, reader.Token);
        await subscriber.SubscribeAsync(runId);

        StartWorker("worker-d");
        var end = await subscriber.WaitForStatusAsync(TimeSpan.FromMinutes(3), "Succeeded", "Failed", "Cancelled");
        var stored = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics?keys=validation.logLoss");

        // The worker publishes on its own process's feed only; what this web process pushed came from the database.
        Assert.Equal("Succeeded", end.Status);
        Assert.Contains(subscriber.Updates, u => u.Status == "Running" && u.Points.Any(p => p.Key == "validation.logLoss"));
        var expected = stored.GetProperty("validation.logLoss").EnumerateArray().Select(p => (p.GetProperty("step").GetInt64(), p.GetProperty("value").GetDouble())).ToList();
        Assert.Equal(401, expected.Count);
        Assert.Equal(expected, subscriber.MergedCurves()["validation.logLoss"]);
    }

    private async Task<(HttpClient, Guid)> SubmitLongRunAsync()
    {
        var token = await TokenFactory.CreateAsync(portal.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(portal, token.Token);
        using var csv = new MemoryStream();
        new LoanDefaultGenerator(seed: 5).Write(csv, rows: 20_000);
        var dataset = await (await client.UploadAsync("loans-long", csv.ToArray())).JsonAsync();
        var response = await client.PostAsJsonAsync("/api/runs", new
        {
            experiment = "worker-resilience",
            datasetId = dataset.GetProperty("datasetId").GetGuid(),
            labelColumn = LoanDefaultGenerator.Label,
            task = "binary",
            trainer = "LightGbm",
            hyperparameters = new { numberOfIterations = 400, learningRate = 0.05 },
        });
        return (client, (await response.JsonAsync()).GetProperty("runId").GetGuid());
    }

    private string? Owner(Guid runId) =>
        portal.QueryColumn("SELECT LeaseOwner FROM Runs WHERE Id = $id AND Status = 'Running'", ("$id", runId.ToString().ToUpperInvariant())).SingleOrDefault();

    private Process StartWorker(string name)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(WorkerAssembly())!,
        };
        start.ArgumentList.Add(WorkerAssembly());
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Database__DataDirectory"] = portal.DataDirectory;
        start.Environment["Worker__WorkerId"] = name;
        start.Environment["Worker__HeartbeatSeconds"] = "5";
        start.Environment["Training__LeaseSeconds"] = "6";
        start.Environment["Training__PollSeconds"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => output.Enqueue($"{name}: {e.Data}");
        process.ErrorDataReceived += (_, e) => output.Enqueue($"{name} !: {e.Data}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        workers.Add(process);
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
        return Path.Combine(directory!.FullName, "src", "Portal.Worker", "bin", configuration, "net10.0", "Portal.Worker.dll");
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited too long for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
