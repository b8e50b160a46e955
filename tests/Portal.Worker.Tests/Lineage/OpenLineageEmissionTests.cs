using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Application.Lineage;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Runs;
using Portal.Domain.Webhooks;
using Portal.Ml.Training;
using Portal.Worker.Tests.Infrastructure;
using Portal.Worker.Tests.Webhooks;
using Portal.Worker.Training;
using Portal.Worker.Webhooks;

namespace Portal.Worker.Tests.Lineage;

/// <summary>
/// OpenLineage out for managed runs: a worker claims and trains a run, the webhook dispatcher posts what the outbox
/// holds to an OpenLineage receiver on real Kestrel. A successful run tells START then COMPLETE (its dataset version as
/// input with the schema and version facets, its model as output), a failed one START then FAIL; every body validates
/// against the official schema; a receiver failing once gets the same event again after the back-off; with no endpoint
/// configured nothing is queued at all.
/// </summary>
public sealed class OpenLineageEmissionTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>, IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> providers = [];
    private readonly OpenLineageSchema schema = new();
    private TestReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await TestReceiver.StartAsync();
        await using var db = await database.Factory.CreateDbContextAsync();
        await db.WebhookDeliveries.ExecuteDeleteAsync();
        await db.WebhookSubscriptions.ExecuteDeleteAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASuccessfulRunTellsStartThenCompleteWithItsDatasetSchemaAndModel()
    {
        var worker = Worker(receiver.Url, apiKey: "marquez-key");
        var runId = await worker.Builder.QueuedAsync();

        await worker.Leases.TryClaimAsync("worker-a", TestWorker.Lease, CancellationToken.None);
        Assert.Equal(1, await worker.Dispatcher.DispatchDueAsync(CancellationToken.None));
        await worker.Job.RunAsync(runId, "worker-a", CancellationToken.None);
        Assert.Equal(1, await worker.Dispatcher.DispatchDueAsync(CancellationToken.None));

        var events = Received();
        Assert.Equal(["START", "COMPLETE"], events.Select(e => e.GetProperty("eventType").GetString()));
        Assert.All(events, e => Assert.Null(schema.Problem(e)));
        Assert.All(events, e => Assert.Equal(runId.Value, e.GetProperty("run").GetProperty("runId").GetGuid()));
        Assert.All(receiver.Requests, r => Assert.Equal("Bearer marquez-key", r.Header("Authorization")));
        await using var db = await database.Factory.CreateDbContextAsync();
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
        var version = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns).SingleAsync(v => v.Id == run.DatasetVersionId);
        var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == version.DatasetId);
        var experiment = await db.Experiments.AsNoTracking().SingleAsync(e => e.Id == run.ExperimentId);
        foreach (var e in events)
        {
            Assert.Equal("portal", e.GetProperty("job").GetProperty("namespace").GetString());
            Assert.Equal(experiment.Name, e.GetProperty("job").GetProperty("name").GetString());
            var input = Assert.Single(e.GetProperty("inputs").EnumerateArray().ToList());
            Assert.Equal(("portal", dataset.Name), (input.GetProperty("namespace").GetString(), input.GetProperty("name").GetString()));
            var fields = input.GetProperty("facets").GetProperty("schema").GetProperty("fields").EnumerateArray()
                .Select(f => (f.GetProperty("name").GetString(), f.GetProperty("type").GetString())).ToList();
            Assert.Equal(version.Columns.OrderBy(c => c.Ordinal).Select(c => ((string?)c.Name, (string?)c.Type.ToString())), fields);
            Assert.Equal(version.Sha256, input.GetProperty("facets").GetProperty("version").GetProperty("datasetVersion").GetString());
        }

        Assert.Empty(events[0].GetProperty("outputs").EnumerateArray());
        var model = Assert.Single(events[1].GetProperty("outputs").EnumerateArray().ToList());
        Assert.Equal(OpenLineageRunEvents.ModelName(runId), model.GetProperty("name").GetString());
        Assert.Equal(run.ModelSha256, model.GetProperty("facets").GetProperty("version").GetProperty("datasetVersion").GetString());
        Assert.All(await db.WebhookDeliveries.AsNoTracking().ToListAsync(), d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
    }

    [Fact]
    public async Task AFailedRunTellsStartThenFailWithTheReason()
    {
        var worker = Worker(receiver.Url);
        var runId = await new RunBuilder(database.Factory, worker.Store, time)
            .Training(Portal.Ml.Catalog.TrainerCatalog.LightGbm, new() { ["learningRate"] = 500, ["numberOfIterations"] = 50 })
            .WithRows(1500)
            .QueuedAsync();

        await worker.Leases.TryClaimAsync("worker-a", TestWorker.Lease, CancellationToken.None);
        await worker.Job.RunAsync(runId, "worker-a", CancellationToken.None);
        await worker.Dispatcher.DispatchDueAsync(CancellationToken.None);

        var events = Received().OrderBy(e => e.GetProperty("eventType").GetString() == "START" ? 0 : 1).ToList();
        Assert.Equal(["START", "FAIL"], events.Select(e => e.GetProperty("eventType").GetString()));
        Assert.All(events, e => Assert.Null(schema.Problem(e)));
        Assert.StartsWith("Stopped early (", events[1].GetProperty("run").GetProperty("facets").GetProperty("errorMessage").GetProperty("message").GetString());
        Assert.Empty(events[1].GetProperty("outputs").EnumerateArray());
        Assert.DoesNotContain(receiver.Requests, r => r.Header("Authorization").Length > 0);
    }

    [Fact]
    public async Task AnEventTheReceiverRefusesOnceIsSentAgainAfterTheBackOff()
    {
        var worker = Worker(receiver.Url);
        var runId = await worker.Builder.QueuedAsync();
        await worker.Leases.TryClaimAsync("worker-a", TestWorker.Lease, CancellationToken.None);
        receiver.Answer = 503;

        await worker.Dispatcher.DispatchDueAsync(CancellationToken.None);
        receiver.Answer = 200;
        time.Advance(WebhookRetrySchedule.Delays[0]);
        Assert.Equal(1, await worker.Dispatcher.DispatchDueAsync(CancellationToken.None));

        var requests = receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(runId.Value, JsonDocument.Parse(requests[1].Body).RootElement.GetProperty("run").GetProperty("runId").GetGuid());
        await using var db = await database.Factory.CreateDbContextAsync();
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleAsync();
        Assert.Equal((WebhookDeliveryStatus.Delivered, 2, 200), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
    }

    [Fact]
    public async Task WithNoEndpointConfiguredNothingIsQueuedOrSent()
    {
        var worker = Worker(endpoint: "");
        var runId = await worker.Builder.QueuedAsync();

        await worker.Leases.TryClaimAsync("worker-a", TestWorker.Lease, CancellationToken.None);
        await worker.Job.RunAsync(runId, "worker-a", CancellationToken.None);
        await worker.Dispatcher.DispatchDueAsync(CancellationToken.None);

        await using var db = await database.Factory.CreateDbContextAsync();
        Assert.Equal(RunStatus.Succeeded, (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId)).Status);
        Assert.Equal(0, await db.WebhookDeliveries.CountAsync());
        Assert.Equal(0, await db.WebhookSubscriptions.CountAsync());
        Assert.Empty(receiver.Requests);
    }

    private List<JsonElement> Received() =>
        [.. receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement)];

    /// <summary>One worker process: the registrations the host makes (options, emitter, dispatcher) over the test database.</summary>
    private Parts Worker(string endpoint, string? apiKey = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenLineage:Endpoint"] = endpoint,
            ["OpenLineage:ApiKey"] = apiKey,
        }).Build());
        services.AddSingleton(database.Factory);
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(new WorkerName("worker-a"));
        services.AddOpenLineage();
        services.AddWebhookDispatcher();
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        var lineage = provider.GetRequiredService<OpenLineageRunEvents>();
        var test = new TestWorker(database, time);
        return new Parts(
            test.NewRun(),
            test.Store,
            new RunLeases(database.Factory, time, NullLogger<RunLeases>.Instance, lineage),
            new RunTrainingJob(database.Factory, test.Store, new ModelTrainer(), time, Options.Create(test.Options), NullLogger<RunTrainingJob>.Instance, lineage),
            provider.GetRequiredService<WebhookDispatcher>());
    }

    private sealed record Parts(RunBuilder Builder, Portal.Data.Artifacts.ContentAddressedStore Store, RunLeases Leases, RunTrainingJob Job,
        WebhookDispatcher Dispatcher);
}
