using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Ml.DemoData;
using Portal.Web.Tests.Infrastructure;
using Portal.Worker.Training;

namespace Portal.Web.Tests.Runs;

/// <summary>Queueing, cancellation, external runs and lease recovery, with no worker running (the clock is the test's).</summary>
public sealed class RunLifecycleTests(RunLifecycleTests.ClockFactory factory) : RunLifecycleTestsBase(factory), IClassFixture<RunLifecycleTests.ClockFactory>
{
    protected override Task<PortalAppFactory> NewFactoryAsync() => Task.FromResult<PortalAppFactory>(new ClockFactory());

    public sealed class ClockFactory : PortalAppFactory
    {
        public ClockFactory()
        {
            Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        }
    }
}

/// <summary>
/// The same on a private PostgreSQL server: the lease claim race, retries and recovery, cancellation audit and batch
/// limits on the scale-out provider.
/// </summary>
public sealed class PostgresRunLifecycleTests(PostgresRunLifecycleTests.ClockFactory factory) : RunLifecycleTestsBase(factory), IClassFixture<PostgresRunLifecycleTests.ClockFactory>
{
    protected override async Task<PortalAppFactory> NewFactoryAsync()
    {
        var own = new ClockFactory();
        await own.InitializeAsync();
        return own;
    }

    public sealed class ClockFactory : PostgresAppFactory
    {
        public ClockFactory()
        {
            Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        }
    }
}

public abstract class RunLifecycleTestsBase(PortalAppFactory factory)
{
    /// <summary>A factory with a database of its own, on the same provider.</summary>
    protected abstract Task<PortalAppFactory> NewFactoryAsync();

    [Fact]
    public async Task QueuedRunIsCancelledAtOnceAndTheCancellationIsAudited()
    {
        var client = await ScientistAsync();
        var runId = await SubmitManagedAsync(client);

        var cancel = await client.PostAsync($"/api/runs/{runId}/cancel", null);
        var again = await client.PostAsync($"/api/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("Cancelled", (await cancel.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await using var db = await DbAsync();
        var subject = runId.ToString();
        Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditActions.RunCancelled.Name && a.SubjectId == subject).ToListAsync());
        Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditActions.RunSubmitted.Name && a.SubjectId == subject).ToListAsync());
    }

    [Fact]
    public async Task ExternalRunTakesBatchesAndAnEndStatus()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);
        var batch = new
        {
            metrics = Enumerable.Range(0, 50).Select(i => new { key = "validation.logLoss", value = 1.0 / (i + 1), step = i }).ToArray(),
            @params = new[] { new { key = "learningRate", value = "0.1" } },
            tags = new[] { new { key = "notebook", value = "churn.ipynb" } },
        };

        var logged = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", batch);
        var ended = await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" });
        var late = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", batch);
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");

        Assert.Equal(HttpStatusCode.OK, logged.StatusCode);
        Assert.Equal(52, (await logged.JsonAsync()).GetProperty("logged").GetInt32());
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1.0 / 50, run.GetProperty("metrics").GetProperty("validation.logLoss").GetDouble(), 10);
        Assert.Equal("0.1", run.GetProperty("params").GetProperty("learningRate").GetString());
        Assert.Equal("churn.ipynb", run.GetProperty("tags").GetProperty("notebook").GetString());
    }

    [Theory]
    [InlineData(1001, 0, 0, "at most 1000 metrics")]
    [InlineData(0, 101, 0, "100 params")]
    [InlineData(0, 0, 101, "100 tags")]
    public async Task BatchOverTheLimitsIsRefusedAndNothingIsStored(int metrics, int parameters, int tags, string expected)
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);
        var batch = new
        {
            metrics = Enumerable.Range(0, metrics).Select(i => new { key = "m", value = (double)i, step = i }).ToArray(),
            @params = Enumerable.Range(0, parameters).Select(i => new { key = $"p{i}", value = "1" }).ToArray(),
            tags = Enumerable.Range(0, tags).Select(i => new { key = $"t{i}", value = "1" }).ToArray(),
        };

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", batch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.JsonAsync()).GetProperty("detail").GetString());
        await using var db = await DbAsync();
        Assert.Equal(0, await db.RunMetrics.CountAsync(m => m.RunId == new RunId(runId)));
        Assert.Equal(0, await db.RunParams.CountAsync(p => p.RunId == new RunId(runId)));
    }

    [Fact]
    public async Task ChangingALoggedParamIsRefused()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);
        await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { @params = new[] { new { key = "depth", value = "3" } } });

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { @params = new[] { new { key = "depth", value = "4" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("params cannot change", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnotherScientistCannotLogToMyRun()
    {
        var mine = await ScientistAsync();
        var runId = await StartExternalAsync(mine);
        var token = await TokenFactory.CreateAsync(factory.Services, "scientist2@portal.local", ApiScopes.Read, ApiScopes.Write);

        var response = await TokenFactory.ClientWith(factory, token.Token)
            .PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics = new[] { new { key = "m", value = 1.0, step = 0 } } });

        // The run is readable by every data scientist, so the refusal says who may rather than hide it (RunOwnershipApiTests has every action).
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task RunOfAVanishedWorkerIsRetriedThenFailedWithTheReason()
    {
        // Its own database, so the oldest queued run is this one.
        await using var own = await NewFactoryAsync();
        var client = await ScientistAsync(own);
        var runId = await SubmitManagedAsync(client);
        var leases = ActivatorUtilities.CreateInstance<RunLeases>(own.Services);
        var lease = TimeSpan.FromSeconds(30);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(new RunId(runId), await leases.TryClaimAsync($"doomed-worker-{attempt}", lease, CancellationToken.None));
            var running = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
            Assert.Equal("Running", running.GetProperty("status").GetString());

            own.FakeClock!.Advance(TimeSpan.FromSeconds(31));
            await leases.RecoverExpiredAsync(CancellationToken.None);
        }

        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Contains("doomed-worker-3 stopped responding", run.GetProperty("failureReason").GetString());
        Assert.Null(await leases.TryClaimAsync("late-worker", lease, CancellationToken.None));
    }

    [Fact]
    public async Task TwoWorkersRacingForOneRunOnlyOneWins()
    {
        var client = await ScientistAsync();
        var runId = await SubmitManagedAsync(client);
        var leases = ActivatorUtilities.CreateInstance<RunLeases>(factory.Services);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => leases.TryClaimAsync($"w{i}", TimeSpan.FromMinutes(1), CancellationToken.None))));

        Assert.Single(claims, c => c == new RunId(runId));
    }

    private Task<HttpClient> ScientistAsync() => ScientistAsync(factory);

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private static async Task<HttpClient> ScientistAsync(PortalAppFactory app)
    {
        var token = await TokenFactory.CreateAsync(app.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(app, token.Token);
    }

    private static async Task<Guid> StartExternalAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/runs", new { experiment = "notebooks", mode = "external", task = "binary" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("runId").GetGuid();
    }

    private static async Task<Guid> SubmitManagedAsync(HttpClient client) =>
        await client.SubmitLoanRunAsync(await client.UploadLoansAsync("loans-small", rows: 300, seed: 3), "lifecycle", "FastTree");
}
