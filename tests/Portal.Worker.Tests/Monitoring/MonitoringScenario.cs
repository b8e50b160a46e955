using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Monitoring;
using Portal.Data.Audit;
using Portal.Data.Metrics;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Domain.Serving;
using Portal.Ml.DemoData;
using Portal.Ml.Registry;
using Portal.Ml.Serving;
using Portal.Worker.Monitoring;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Monitoring;

/// <summary>A real champion (a small loan-default model trained by the worker and promoted) and the rows it was served.</summary>
public sealed record Champion(RegisteredModelId ModelId, string ModelName, ModelVersionId VersionId, int VersionNumber, IReadOnlyList<InputFeature> Signature,
    ScoringEngine Engine);

/// <summary>
/// A model in production whose traffic is logged as the predict endpoint logs it: the request's rows as sent, scored by the
/// real scoring engine of the version, each row's answer in the log's JSON, and ground truth written as the feedback endpoint would.
/// </summary>
public sealed class MonitoringScenario(SqliteTestDatabase database, TestWorker worker)
{
    /// <summary>How the prediction log writes a row's answer (the serving path's LoggedOutput: web JSON, nulls left out).</summary>
    private static readonly JsonSerializerOptions OutputJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task<Champion> ChampionAsync(MonitoringPolicy? policy = null)
    {
        var trainer = $"trainer-{Guid.NewGuid():N}";
        var runId = await worker.ClaimedRunAsync(trainer);
        await worker.Job().RunAsync(runId, trainer, CancellationToken.None);
        var run = await worker.RunAsync(runId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        IReadOnlyList<InputFeature> signature;
        await using (var zip = worker.Store.OpenRead(run.ModelSha256!))
        {
            signature = ModelSignatureReader.Read(zip, run.LabelColumn);
        }

        var now = worker.Time.GetUtcNow();
        await using var db = await database.Factory.CreateDbContextAsync();
        var metrics = await db.LatestMetricsAsync(runId, CancellationToken.None);
        var model = RegisteredModel.Create($"loans-{Guid.NewGuid():N}"[..20], "monitoring tests", "scientist", [Roles.DataScientist], RiskTier.Low, now);
        var version = model.RegisterVersion(new VersionRegistration(run.Id, "scientist", [run.DatasetVersionId!.Value], signature,
            metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(StringComparer.Ordinal), run.ModelSha256!), "scientist", now);
        var transition = new PromotionTransition(PromotionRequestId.New(now), model.Id, version.Id, ModelStage.Production, ["manager"], "approved", new string('a', 64), false);
        Assert.True(model.Apply(transition, now).Succeeded);
        if (policy is not null)
        {
            Assert.True(model.SetMonitoringPolicy(policy, [Roles.BusinessManager]).Succeeded);
        }

        db.RegisteredModels.Add(model);
        await db.SaveChangesAsync();
        await using var file = worker.Store.OpenRead(run.ModelSha256!);
        return new Champion(model.Id, model.Name, version.Id, version.Number, signature, ScoringEngine.Load(file, signature, MlTask.Binary));
    }

    /// <summary>Loan applications as JSON rows of the champion's inputs (from the generator's CSV, typed as the signature says), with the true label.</summary>
    public static List<(JsonElement Row, string Label)> Rows(Champion champion, int count, int seed, double covariateDrift = 0)
    {
        using var csv = new MemoryStream();
        new LoanDefaultGenerator(seed).Write(csv, count, covariateDrift);
        var lines = System.Text.Encoding.UTF8.GetString(csv.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = new List<(JsonElement, string)>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var feature in champion.Signature)
            {
                var text = cells[Array.IndexOf(header, feature.Name)];
                row[feature.Name] = feature.Type switch
                {
                    "Single" or "Double" => double.Parse(text, CultureInfo.InvariantCulture),
                    "Boolean" => text is "yes" or "true" or "1",
                    _ => text,
                };
            }

            rows.Add((JsonSerializer.SerializeToElement(row), cells[Array.IndexOf(header, LoanDefaultGenerator.Label)] == "1" ? "true" : "false"));
        }

        return rows;
    }

    /// <summary>One predict request of <paramref name="rows"/> at <paramref name="at"/>, scored by the champion and logged; returns the batch.</summary>
    public async Task<PredictionBatch> ServeAsync(Champion champion, IReadOnlyList<JsonElement> rows, DateTimeOffset at, Func<string, string>? inputsJson = null)
    {
        var scored = champion.Engine.Score(rows);
        var outputs = JsonSerializer.Serialize(scored.Select(p => new { p.PredictedLabel, p.Score, p.Probabilities, p.Error }), OutputJson);
        var inputs = JsonSerializer.Serialize(rows);
        var batch = PredictionBatch.Record(PredictionBatchId.New(at), champion.ModelId, champion.VersionId, champion.VersionNumber, null, ServingArm.Champion, at,
            rows.Count, scored.Count(p => p.Failed), 100, inputsJson?.Invoke(inputs) ?? inputs, outputs);
        await using var db = await database.Factory.CreateDbContextAsync();
        db.PredictionBatches.Add(batch);
        await db.SaveChangesAsync();
        return batch;
    }

    /// <summary>Ground truth for every row of <paramref name="batch"/>: the true labels, judged against what was predicted.</summary>
    public async Task LabelAsync(PredictionBatch batch, IReadOnlyList<string> labels, DateTimeOffset at)
    {
        var outputs = JsonDocument.Parse(batch.OutputsJson).RootElement.EnumerateArray().ToList();
        await using var db = await database.Factory.CreateDbContextAsync();
        for (var i = 0; i < labels.Count; i++)
        {
            if (outputs[i].TryGetProperty("predictedLabel", out var predicted))
            {
                db.PredictionFeedback.Add(PredictionFeedback.Record(PredictionId.For(batch.Id, i), batch, labels[i], predicted.GetString() == labels[i], null, at));
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The parts of a worker's monitoring loop over this database, on the worker's clock.</summary>
    public ModelMonitor Monitor(AlertRaiser? raiser = null) =>
        new(database.Factory, new MonitoredVersions(), new WindowDrift(new DriftReferences(database.Factory, worker.Store)), raiser ?? Raiser(), worker.Time, NullLogger<ModelMonitor>.Instance);

    public AlertRaiser Raiser() => new(new AuditTrail(database.Factory, worker.Time), worker.Time, NullLogger<AlertRaiser>.Instance);

    public MonitoringLeases Leases() => new(database.Factory, worker.Time);

    public async Task<List<MonitoringWindow>> WindowsAsync(RegisteredModelId modelId, WindowKind kind)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.MonitoringWindows.AsNoTracking().Where(w => w.ModelId == modelId && w.Kind == kind).OrderBy(w => w.EndUtc).ToListAsync();
    }

    public async Task<List<MonitoringAlert>> AlertsAsync(RegisteredModelId modelId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.MonitoringAlerts.AsNoTracking().Where(a => a.ModelId == modelId).OrderBy(a => a.RaisedUtc).ToListAsync();
    }

    public async Task<MonitoringCursor?> CursorAsync(RegisteredModelId modelId, WindowKind kind)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.MonitoringCursors.AsNoTracking().FirstOrDefaultAsync(c => c.ModelId == modelId && c.Kind == kind);
    }
}
