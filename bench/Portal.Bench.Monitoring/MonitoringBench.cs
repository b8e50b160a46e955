using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Application.Datasets;
using Portal.Application.Hosting;
using Portal.Bench.Api;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Domain.Serving;
using Portal.Ml.DemoData;
using Portal.Worker.Hosting;

namespace Portal.Bench.Monitoring;

// The monitoring-loop figure of issue 12: logged traffic is inserted at a fixed rate of predictions per second (requests of
// 1–39 rows, 20 on average, written every 100 ms as the prediction log writer does) into a real SQLite database, for the
// same duration twice in one run: (1) a worker host with the monitoring loop off (the insert-only baseline), (2) the same
// host with the loop on (5 s interval, time windows of 1 minute and count windows of 1,000 rows, drift against a training
// reference, data quality, labels). Reported: process CPU time over wall time for each (1 core = 100 %), the loop's share
// (the difference), the windows written and the cursor lag at the end.
// Usage: Portal.Bench.Monitoring [seconds=60] [predictionsPerSecond=2000]
internal static class MonitoringBench
{
    private static readonly string[] Numeric = ["age", "annual_income", "loan_amount", "term_months", "credit_score", "debt_to_income", "previous_defaults"];
    private static readonly string[] Categorical = ["employment", "purpose", "postcode"];

    public static async Task Main(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        var seconds = args.Length > 0 ? int.Parse(args[0], culture) : 60;
        var rate = args.Length > 1 ? int.Parse(args[1], culture) : 2000;
        var folder = Directory.CreateTempSubdirectory("portal-bench-monitoring-").FullName;
        try
        {
            Console.WriteLine($"Machine load before: {Machine.Load()} ({Environment.ProcessorCount} cores); {rate:N0} predictions/s for {seconds} s per phase");
            var rows = LiveRows(20_000);
            var baseline = await PhaseAsync(folder, "insert only", monitoring: false, seconds, rate, rows);
            var loop = await PhaseAsync(folder, "insert + monitoring loop", monitoring: true, seconds, rate, rows);
            Console.WriteLine();
            Console.WriteLine($"Insert-only CPU: {baseline.CpuPercent:0.0} % of one core; with the loop: {loop.CpuPercent:0.0} % (ratio {loop.CpuPercent / baseline.CpuPercent:0.00})");
            Console.WriteLine($"Monitoring loop CPU (difference): {loop.CpuPercent - baseline.CpuPercent:0.0} % of one core (target ≤ 100 %)");
            Console.WriteLine($"Machine load after: {Machine.Load()}");
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held; the temp folder is cleaned by the OS.
            }
        }
    }

    private sealed record PhaseResult(double CpuPercent);

    private static async Task<PhaseResult> PhaseAsync(string root, string name, bool monitoring, int seconds, int rate, IReadOnlyList<string> rows)
    {
        var folder = Path.Combine(root, monitoring ? "loop" : "baseline");
        Directory.CreateDirectory(folder);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = folder,
            ["Monitoring:Enabled"] = monitoring ? "true" : "false",
            ["Monitoring:IntervalSeconds"] = "5",
            ["Monitoring:GraceSeconds"] = "2",
            ["Rollouts:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Portal.Application.Monitoring"] = "Error",
        });
        builder.AddPortalData();
        builder.AddMigrationOnStart();
        builder.AddPortalApplication();
        builder.AddPortalWorker(embedded: false);
        using var host = builder.Build();
        await host.StartAsync();
        var dbFactory = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var (modelId, versionId) = await SeedAsync(dbFactory, host.Services.GetRequiredService<ContentAddressedStore>());

        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var random = new Random(3);
        long predictions = 0;
        var tick = TimeSpan.FromMilliseconds(100);
        var perTick = rate / 10;
        for (var t = 0; t < seconds * 10; t++)
        {
            var due = tick * (t + 1);
            var batches = new List<PredictionBatch>();
            for (var made = 0; made < perTick;)
            {
                var size = Math.Min(random.Next(1, 40), perTick - made);
                batches.Add(Batch(modelId, versionId, rows, random, size, DateTimeOffset.UtcNow));
                made += size;
            }

            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                db.PredictionBatches.AddRange(batches);
                await db.SaveChangesAsync();
            }

            predictions += perTick;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
        }

        var wall = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var cpuPercent = cpu.TotalSeconds / wall.TotalSeconds * 100;
        Console.WriteLine();
        Console.WriteLine($"[{name}] {predictions:N0} predictions in {wall.TotalSeconds:0.0} s ({predictions / wall.TotalSeconds:N0}/s): process CPU {cpu.TotalSeconds:0.0} s = {cpuPercent:0.0} % of one core; load {Machine.Load()}");
        if (monitoring)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var now = DateTime.UtcNow;
            var lastBatch = await db.PredictionBatches.MaxAsync(b => b.ReceivedUtc);
            foreach (var kind in Enum.GetValues<WindowKind>())
            {
                var windows = await db.MonitoringWindows.Where(w => w.ModelId == modelId && w.Kind == kind).ToListAsync();
                var cursor = await db.MonitoringCursors.AsNoTracking().FirstOrDefaultAsync(c => c.ModelId == modelId && c.Kind == kind);
                var lag = cursor?.LastReceivedUtc is { } at ? (now - at).TotalSeconds : double.NaN;
                Console.WriteLine($"[{name}] {kind} windows: {windows.Count:N0} ({windows.Sum(w => w.Rows):N0} rows, {windows.Count(w => w.DriftedFeatures > 0):N0} with drift, " +
                    $"{windows.Count(w => w.Drift.Features.Count == 0):N0} without a drift report); cursor lag at the end {lag:0.0} s (last batch {(now - lastBatch).TotalSeconds:0.0} s ago)");
            }

            var alerts = await db.MonitoringAlerts.AsNoTracking().Where(a => a.ModelId == modelId).ToListAsync();
            Console.WriteLine($"[{name}] alerts: {string.Join(", ", alerts.Select(a => $"{a.Rule}/{a.Feature}×{a.Occurrences}"))}");
        }

        await host.StopAsync();
        return new PhaseResult(cpuPercent);
    }

    /// <summary>A model whose version 1 (trained, for the purpose of the figure, on 20,000 generated loans) is in production.</summary>
    private static async Task<(RegisteredModelId, ModelVersionId)> SeedAsync(IDbContextFactory<PortalDbContext> dbFactory, ContentAddressedStore store)
    {
        var now = DateTimeOffset.UtcNow;
        using var csv = new MemoryStream();
        new LoanDefaultGenerator(seed: 1).Write(csv, 20_000);
        csv.Position = 0;
        var blob = await store.PutAsync(csv, long.MaxValue);
        csv.Position = 0;
        var analysis = new DatasetAnalyzer().Analyze(csv);
        await using var db = await dbFactory.CreateDbContextAsync();
        var experiment = Experiment.Create("monitoring-bench", "", "bench", now);
        var dataset = Dataset.Create("loans-bench", "bench", now);
        var version = DatasetVersion.Create(dataset.Id, dataset.NextVersion(), blob.Sha256, blob.Size, analysis.Rows, "loans.csv",
            JsonSerializer.Serialize(analysis.Columns, DatasetProfiles.Json), analysis.Columns.Select(c => DatasetColumn.Create(c.Schema.Ordinal, c.Name, c.Type, false, null)),
            "bench", now);
        var run = Run.StartExternal(experiment.Id, version.Id, blob.Sha256, MlTask.Binary, "FastTree", LoanDefaultGenerator.Label, "bench", "Bench", now);
        var model = RegisteredModel.Create("loans-monitored", "monitoring bench", "bench", [Roles.DataScientist], RiskTier.Low, now);
        var signature = Numeric.Select(n => new InputFeature(n, "Single")).Concat(Categorical.Select(n => new InputFeature(n, "String"))).ToList();
        var champion = model.RegisterVersion(new VersionRegistration(run.Id, "bench", [version.Id], signature, new Dictionary<string, double> { ["accuracy"] = 0.8 },
            new string('b', 64)), "bench", now);
        model.Apply(new PromotionTransition(PromotionRequestId.New(now), model.Id, champion.Id, ModelStage.Production, ["manager"], "bench", new string('a', 64), false), now);
        db.AddRange(experiment, dataset, version, run, model);
        await db.SaveChangesAsync();
        return (model.Id, champion.Id);
    }

    /// <summary>Rows as the predict endpoint receives them (the signature's ten inputs), the later half drifting (incomes fall, debt rises).</summary>
    private static List<string> LiveRows(int count)
    {
        var rows = new List<string>(count);
        foreach (var drift in new[] { 0.0, 0.8 })
        {
            using var csv = new MemoryStream();
            new LoanDefaultGenerator(seed: drift == 0 ? 2 : 3).Write(csv, count / 2, covariateDrift: drift);
            var lines = Encoding.UTF8.GetString(csv.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var header = lines[0].Split(',');
            foreach (var line in lines.Skip(1))
            {
                var cells = line.Split(',');
                var row = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (var n in Numeric)
                {
                    row[n] = double.Parse(cells[Array.IndexOf(header, n)], CultureInfo.InvariantCulture);
                }

                foreach (var c in Categorical)
                {
                    row[c] = cells[Array.IndexOf(header, c)];
                }

                rows.Add(JsonSerializer.Serialize(row));
            }
        }

        return rows;
    }

    private static PredictionBatch Batch(RegisteredModelId modelId, ModelVersionId versionId, IReadOnlyList<string> rows, Random random, int size, DateTimeOffset at)
    {
        var inputs = new StringBuilder("[");
        var outputs = new StringBuilder("[");
        // Traffic drifts over the run: the share of rows from the drifted half grows from 0 to 1.
        for (var i = 0; i < size; i++)
        {
            var half = random.NextDouble() < (at.Second / 60.0) ? rows.Count / 2 : 0;
            inputs.Append(i == 0 ? "" : ",").Append(rows[half + random.Next(rows.Count / 2)]);
            var p = random.NextDouble();
            outputs.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $"{{\"predictedLabel\":\"{(p > 0.5 ? "true" : "false")}\",\"probabilities\":{{\"true\":{p:0.######},\"false\":{1 - p:0.######}}}}}");
        }

        return PredictionBatch.Record(PredictionBatchId.New(at), modelId, versionId, 1, null, ServingArm.Champion, at, size, 0, 50,
            inputs.Append(']').ToString(), outputs.Append(']').ToString());
    }
}
