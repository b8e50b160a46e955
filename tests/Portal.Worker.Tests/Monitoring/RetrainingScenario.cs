using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Application.Datasets;
using Portal.Application.Monitoring;
using Portal.Application.Privacy;
using Portal.Application.Registry;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Domain.Serving;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Monitoring;

/// <summary>
/// A model whose champion was really trained (ML.NET, a small CSV uploaded through <see cref="DatasetIngestion"/>, a run submitted
/// through <see cref="RunSubmission"/> and trained by the worker's job), labelled traffic in the prediction log as the predict and
/// feedback endpoints write it, and alerts as the monitoring loop raises them; with the <see cref="RetrainingLoop"/> over it all.
/// </summary>
public sealed class RetrainingScenario
{
    public const string Label = "defaulted";
    public static readonly AuditActor Scientist = AuditActor.User("scientist-id", "scientist@portal.local");

    private readonly SqliteTestDatabase database;
    private readonly AuditTrail audit;

    public RetrainingScenario(SqliteTestDatabase database)
    {
        this.database = database;
        Worker = new TestWorker(database);
        audit = new AuditTrail(database.Factory, Worker.Time);
        Keys = new SubjectKeyProvider(new SubjectKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
        Indexer = new SubjectIndexer(database.Factory, Worker.Store, new SubjectIndexStore(Path.Combine(database.Folder, "artifacts")), Keys, Worker.Time);
        Ingestion = new DatasetIngestion(database.Factory, Worker.Store, audit, Worker.Time, Indexer);
        Runs = new RunSubmission(database.Factory, audit, new TrainingQueueSignal(), Worker.Time);
        Registry = new ModelRegistry(database.Factory, Worker.Store, audit, Worker.Time);
        Workflow = new PromotionWorkflow(database.Factory, audit, Options.Create(new RegistryOptions()), Worker.Time);
        Policies = new MonitoringPolicies(database.Factory, audit, Worker.Time);
        Impact = new ErasureImpact(database.Factory, new SubjectIndexStore(Path.Combine(database.Folder, "artifacts")), Keys);
        Erasure = new ErasureMarking(database.Factory, Impact, audit, Worker.Time);
        Loop = new RetrainingLoop(database.Factory, Ingestion, Runs, Registry, Workflow, audit, Worker.Time,
            new ErasureRetrainingData(database.Factory, Worker.Store, Ingestion, Keys));
    }

    public TestWorker Worker { get; }

    public SubjectKeyProvider Keys { get; }

    public SubjectIndexer Indexer { get; }

    public ErasureImpact Impact { get; }

    public ErasureMarking Erasure { get; }

    public DatasetIngestion Ingestion { get; }

    public RunSubmission Runs { get; }

    public ModelRegistry Registry { get; }

    public PromotionWorkflow Workflow { get; }

    public MonitoringPolicies Policies { get; }

    public RetrainingLoop Loop { get; }

    public RetrainingSettings Settings { get; } = new("worker-a", TimeSpan.FromMinutes(1), 50_000);

    public IDbContextFactory<PortalDbContext> Db => database.OtherProcess;

    public DateTimeOffset Now => Worker.Time.GetUtcNow();

    /// <summary>A registered model "{name}" whose version 1, trained with FastTree (5 trees, seed 7, 25 % validation) on dataset "{name}-data", is champion.</summary>
    public async Task<(RegisteredModel Model, ModelVersion Champion, RunId ChampionRun)> ModelWithChampionAsync(string name, RetrainingPolicy? policy,
        string? csv = null)
    {
        var dataset = await UploadAsync($"{name}-data", csv ?? Csv(new Random(1), 300, drifted: false));
        var submitted = await Runs.SubmitAsync(new SubmitRun("retraining-tests", dataset.Dataset.Id, dataset.Version.Version, Label, MlTask.Binary, "FastTree",
            new Dictionary<string, double> { ["numberOfTrees"] = 5 }, 0.25, 7), Scientist, CancellationToken.None);
        Assert.True(submitted.Succeeded, submitted.Error);
        await TrainAsync(submitted.Value);
        Assert.True((await Registry.CreateAsync(new CreateModel(name, "retraining tests"), Scientist, [Roles.DataScientist], CancellationToken.None)).Succeeded);
        var registered = await Registry.RegisterVersionAsync(name, submitted.Value, Scientist, CancellationToken.None);
        Assert.True(registered.Succeeded, registered.Error);
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            var tracked = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Name == name);
            var version = tracked.FindVersion(1)!;
            Assert.True(tracked.Apply(new PromotionTransition(PromotionRequestId.New(Now), tracked.Id, version.Id, ModelStage.Production, ["manager"],
                "first champion", new string('a', 64), false), Now).Succeeded);
            await db.SaveChangesAsync();
        }

        if (policy is not null)
        {
            var set = await Policies.SetRetrainingAsync(name, policy, Scientist, [Roles.DataScientist], CancellationToken.None);
            Assert.True(set.Succeeded, set.Error);
        }

        var model = await ModelAsync(name);
        return (model, model.Champion!, submitted.Value);
    }

    /// <summary>Trains a queued run with the worker's real job.</summary>
    public async Task TrainAsync(RunId runId)
    {
        Assert.Equal(runId, await Worker.Leases().TryClaimAsync("trainer", TestWorker.Lease, CancellationToken.None));
        await Worker.Job().RunAsync(runId, "trainer", CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, (await Worker.RunAsync(runId)).Status);
    }

    /// <summary><paramref name="rows"/> predictions of the champion at <paramref name="at"/> in batches of 10, each with its ground truth.</summary>
    public async Task TrafficAsync(RegisteredModel model, int rows, DateTimeOffset at, bool drifted = true)
    {
        var champion = model.Champion!;
        var random = new Random(rows);
        var lines = Csv(random, rows, drifted).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        await using var db = await database.Factory.CreateDbContextAsync();
        foreach (var chunk in lines.Chunk(10))
        {
            var inputs = new JsonArray([.. chunk.Select(cells => (JsonNode)new JsonObject
            {
                ["age"] = double.Parse(cells[0], CultureInfo.InvariantCulture),
                ["income"] = double.Parse(cells[1], CultureInfo.InvariantCulture),
                ["city"] = cells[2],
            })]);
            var batch = PredictionBatch.Record(PredictionBatchId.New(at), model.Id, champion.Id, champion.Number, null, ServingArm.Champion, at, chunk.Length, 0, 100,
                inputs.ToJsonString(), "[]");
            db.PredictionBatches.Add(batch);
            for (var i = 0; i < chunk.Length; i++)
            {
                db.PredictionFeedback.Add(PredictionFeedback.Record(PredictionId.For(batch.Id, i), batch, chunk[i][3], null, null, at.AddSeconds(15)));
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>An open alert as the monitoring loop raises it, on a one-minute window starting at <paramref name="windowStart"/>.</summary>
    public async Task<MonitoringAlert> AlertAsync(RegisteredModel model, AlertRule rule, string feature, string message, DateTimeOffset windowStart)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        var champion = model.Champion!;
        var window = MonitoringWindow.Record(MonitoringWindowId.New(Now), model.Id, champion.Id, champion.Number, WindowKind.Time, windowStart, windowStart.AddMinutes(1),
            100, 0, [], DriftReport.Empty, WindowQuality.Empty, message, Now);
        db.MonitoringWindows.Add(window);
        var alert = MonitoringAlert.Raise(MonitoringAlertId.New(Now), model.Id, champion.Id, champion.Number, rule, feature, AlertSeverity.Warning, message, window.Id, Now);
        db.MonitoringAlerts.Add(alert);
        await db.SaveChangesAsync();
        return alert;
    }

    public async Task<RegisteredModel> ModelAsync(string name)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).FirstAsync(m => m.Name == name);
    }

    public async Task<List<Retraining>> RetrainingsAsync(RegisteredModelId modelId)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await db.Retrainings.AsNoTracking().Where(r => r.ModelId == modelId).OrderBy(r => r.CreatedUtc).ToListAsync();
    }

    public async Task<List<Run>> RunsOfAsync(string datasetName)
    {
        await using var db = await Db.CreateDbContextAsync();
        var versions = db.DatasetVersions.Where(v => db.Datasets.Any(d => d.Id == v.DatasetId && d.Name == datasetName)).Select(v => v.Id);
        return await db.Runs.AsNoTracking().Where(r => r.DatasetVersionId != null && versions.Contains(r.DatasetVersionId.Value)).OrderBy(r => r.SubmittedUtc).ToListAsync();
    }

    public async Task<List<string>> AuditActionsAsync(RegisteredModelId modelId)
    {
        await using var db = await Db.CreateDbContextAsync();
        var subject = AuditSubject.RegisteredModel(modelId);
        return await db.AuditEntries.AsNoTracking().Where(a => a.SubjectType == subject.Type && a.SubjectId == subject.Id).OrderBy(a => a.Sequence)
            .Select(a => a.Action).ToListAsync();
    }

    public async Task<IngestedVersion> UploadAsync(string name, string csv)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var staged = await Ingestion.StageAsync(content, 10_000_000, CancellationToken.None);
        Assert.True(staged.Succeeded, staged.Error);
        using var upload = staged.Value!;
        return await Ingestion.SaveAsync(name, $"{name}.csv", upload, Scientist, CancellationToken.None);
    }

    /// <summary>Applicants whose default depends on income (before the drift) or on age (after it); drifted incomes are lower.</summary>
    public static string Csv(Random random, int rows, bool drifted)
    {
        var cities = new[] { "Bern", "Basel", "Genf" };
        var text = new StringBuilder($"age,income,city,{Label}\n");
        for (var i = 0; i < rows; i++)
        {
            var age = random.Next(18, 80);
            var income = Math.Round((drifted ? 30_000 : 60_000) + (random.NextDouble() * 40_000));
            var city = cities[random.Next(cities.Length)];
            var defaulted = drifted ? age < 40 : income < 75_000;
            if (random.NextDouble() < 0.05)
            {
                defaulted = !defaulted;
            }

            text.Append(CultureInfo.InvariantCulture, $"{age},{income},{city},{(defaulted ? 1 : 0)}\n");
        }

        return text.ToString();
    }
}
