using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Ml.Evaluation;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.ModelCards;

/// <summary>
/// A finished binary run as Portal makes one: a CSV uploaded through the API (schema inference and personal-data detection
/// run for real), a managed run submitted through the API (defaults resolved, split and seed stored), then finished the way
/// the worker finishes it (final metrics and curve points, tags, a diagnostic, the evaluation JSON, the run succeeded).
/// </summary>
public static class CardRunSeeder
{
    public const string DatasetPrefix = "card-loans";
    public const string Label = "defaulted";

    public static readonly ConfusionMatrixData Matrix = new(["no", "yes"], [[5, 1], [2, 4]]);

    public static async Task<(RunId RunId, string DatasetName)> SeedAsync(PortalAppFactory factory)
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);
        var name = $"{DatasetPrefix}-{Guid.NewGuid():N}"[..24];
        var csv = new StringBuilder("email,age,segment,defaulted\n");
        for (var i = 0; i < 60; i++)
        {
            csv.Append($"person{i}@example.com,{20 + (i % 40)},{(i % 3 == 0 ? "retail" : "business")},{(i % 4 == 0 ? "yes" : "no")}\n");
        }

        var upload = await client.UploadCsvAsync(name, csv.ToString());
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var dataset = await upload.JsonAsync();
        var submitted = await client.PostAsJsonAsync("/api/runs", new
        {
            experiment = "card-facts",
            datasetId = dataset.GetProperty("datasetId").GetGuid(),
            datasetVersion = dataset.GetProperty("version").GetInt32(),
            labelColumn = Label,
            task = "binary",
            trainer = "SdcaLogisticRegression",
            hyperparameters = new { l2Regularization = 0.5 },
            validationFraction = 0.2,
            seed = 7,
        });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var runId = new RunId((await submitted.JsonAsync()).GetProperty("runId").GetGuid());

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var run = await db.Runs.SingleAsync(r => r.Id == runId);
        var now = DateTimeOffset.UtcNow;
        run.Claimed("card-test-worker", now, TimeSpan.FromMinutes(1));
        db.RunMetrics.AddRange(
            new RunMetric { RunId = runId, Key = "validation.logLoss", Value = 0.9, Step = 1, TimestampUtc = now.UtcDateTime },
            new RunMetric { RunId = runId, Key = "validation.logLoss", Value = 0.6, Step = 2, TimestampUtc = now.UtcDateTime },
            new RunMetric { RunId = runId, Key = "accuracy", Value = 0.75, Step = 2, TimestampUtc = now.UtcDateTime },
            new RunMetric { RunId = runId, Key = "logLoss", Value = 0.61234567, Step = 2, TimestampUtc = now.UtcDateTime },
            new RunMetric { RunId = runId, Key = "areaUnderRocCurve", Value = 0.812345, Step = 2, TimestampUtc = now.UtcDateTime });
        db.RunParams.AddRange(
            new RunParam { RunId = runId, IsTag = true, Key = "mlnet.version", Value = "5.0.1" },
            new RunParam { RunId = runId, IsTag = true, Key = "rows.train", Value = "48" },
            new RunParam { RunId = runId, IsTag = true, Key = "rows.validation", Value = "12" });
        db.RunDiagnostics.Add(new RunDiagnostic
        {
            RunId = runId, Rule = "ClassImbalance", Severity = DiagnosticSeverity.Warning, Message = "The label | is imbalanced: 25 % yes.", CreatedUtc = now.UtcDateTime,
        });
        var evaluation = new ModelEvaluation(Matrix, [new PerClassMetrics("no", 0.7143, 0.8333, 6), new PerClassMetrics("yes", 0.8, 0.6667, 6)], null);
        db.RunEvaluations.Add(new RunEvaluation { RunId = runId, Json = evaluation.ToJson(), CreatedUtc = now.UtcDateTime });
        run.Succeed(now, new string('a', 64), 1234, "5.0.1", "areaUnderRocCurve", 0.812345);
        await db.SaveChangesAsync();
        return (runId, name);
    }
}
