using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Ml.DemoData;
using Portal.Web.Features.Runs;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Submission;

/// <summary>Runs submitted through the API are trained for real by the embedded worker.</summary>
public sealed class TrainingRunTests(TrainingAppFactory factory) : IClassFixture<TrainingAppFactory>
{
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task SubmittedRunTrainsAndReportsMetricsCurvesAndParams()
    {
        var (client, dataset) = await ScientistWithLoansAsync();

        var submitted = await client.PostAsJsonAsync("/api/runs", Request(dataset, "LightGbm", new { numberOfIterations = 30 }));
        var runId = (await submitted.JsonAsync()).GetProperty("runId").GetGuid();
        var run = await client.WaitForRunAsync(runId, TrainingTimeout);
        var curves = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics?keys=train.logLoss,validation.logLoss");

        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.InRange(run.GetProperty("metrics").GetProperty("areaUnderRocCurve").GetDouble(), 0.65, 1.0);
        Assert.True(run.GetProperty("metrics").TryGetProperty("f1Score", out _));
        Assert.Equal("30", run.GetProperty("params").GetProperty("numberOfIterations").GetString());
        Assert.Equal(64, run.GetProperty("datasetSha256").GetString()!.Length);
        Assert.True(curves.GetProperty("validation.logLoss").GetArrayLength() >= 10);
        var steps = curves.GetProperty("validation.logLoss").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(steps.Order(), steps);
    }

    [Fact]
    public async Task AFinishedRunServesItsDatasetItsEvaluationAndItsModelZipToAReader()
    {
        var (client, dataset) = await ScientistWithLoansAsync();
        var run = await SubmitAndWaitAsync(client, Request(dataset, "LightGbm", new { numberOfIterations = 20 }));
        var runId = run.GetProperty("runId").GetGuid();
        var reader = TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read)).Token);

        using var model = await reader.GetAsync($"/api/runs/{runId}/model");

        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal("loans", run.GetProperty("dataset").GetProperty("name").GetString());
        Assert.Equal(dataset.Item2, run.GetProperty("dataset").GetProperty("version").GetInt32());
        var evaluation = run.GetProperty("evaluation");
        var matrix = evaluation.GetProperty("confusionMatrix");
        Assert.Equal(2, matrix.GetProperty("classes").GetArrayLength());
        var validationRows = long.Parse(run.GetProperty("tags").GetProperty("rows.validation").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(validationRows, matrix.GetProperty("counts").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => (long)c.GetDouble()));
        Assert.Equal(2, evaluation.GetProperty("perClass").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, evaluation.GetProperty("residuals").ValueKind);
        Assert.Contains("of the 20 allowed by numberOfIterations", run.GetProperty("stepsExplanation").GetString());
        Assert.Equal(HttpStatusCode.OK, model.StatusCode);
        Assert.Equal("application/zip", model.Content.Headers.ContentType?.MediaType);
        var bytes = await model.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        Assert.Equal(run.GetProperty("modelSha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Fact]
    public async Task TheModelOfAnUnknownOrUnfinishedRunIsNotFoundWithTheReason()
    {
        var (client, _) = await ScientistWithLoansAsync();
        var external = await client.PostAsJsonAsync("/api/runs", new { experiment = "no-model", mode = "external", task = "binary", trainer = "LightGbm" });
        var running = (await external.JsonAsync()).GetProperty("runId").GetGuid();

        foreach (var id in new[] { Guid.NewGuid(), running })
        {
            using var response = await client.GetAsync($"/api/runs/{id}/model");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("has not succeeded", (await response.JsonAsync()).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task SameInputsAndSeedGiveTheSameMetrics()
    {
        var (client, dataset) = await ScientistWithLoansAsync();

        var first = await SubmitAndWaitAsync(client, Request(dataset, "SdcaLogisticRegression", new { }, seed: 7));
        var second = await SubmitAndWaitAsync(client, Request(dataset, "SdcaLogisticRegression", new { }, seed: 7));

        Assert.Equal("Succeeded", first.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("metrics").GetProperty("areaUnderRocCurve").GetDouble(),
            second.GetProperty("metrics").GetProperty("areaUnderRocCurve").GetDouble());
        Assert.Equal(first.GetProperty("metrics").GetProperty("logLoss").GetDouble(), second.GetProperty("metrics").GetProperty("logLoss").GetDouble());
    }

    [Fact]
    public async Task AbsurdLearningRateStopsEarlyWithExplodingLoss()
    {
        var (client, dataset) = await ScientistWithLoansAsync();

        var run = await SubmitAndWaitAsync(client, Request(dataset, "LightGbm", new { learningRate = 500, numberOfIterations = 50 }));

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Contains("ExplodingLoss", run.GetProperty("failureReason").GetString());
        Assert.Contains(run.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("rule").GetString() == "ExplodingLoss");
    }

    [Fact]
    public async Task PointsLeftByAnInterruptedTrainingAreClearedWhenTheRunTrainsAgain()
    {
        // A run handed back by a stopping worker keeps its attempt number and the points that worker had written;
        // a queued run holding such points stands for it here. The worker (one run at a time) is kept busy meanwhile.
        var (client, dataset) = await ScientistWithLoansAsync();
        var busy = await client.PostAsJsonAsync("/api/runs", Request(dataset, "LightGbm", new { numberOfIterations = 300 }));
        var response = await client.PostAsJsonAsync("/api/runs", Request(dataset, "LightGbm", new { numberOfIterations = 20 }));
        var runId = new RunId((await response.JsonAsync()).GetProperty("runId").GetGuid());
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(RunStatus.Queued, (await db.Runs.FirstAsync(r => r.Id == runId)).Status);
            db.RunMetrics.Add(new RunMetric { RunId = runId, Key = "validation.logLoss", Value = 42, Step = 7, TimestampUtc = DateTime.UtcNow });
            db.RunMetrics.Add(new RunMetric { RunId = runId, Key = "validation.logLoss", Value = 42, Step = 500, TimestampUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var run = await client.WaitForRunAsync(runId.Value, TrainingTimeout);
        var curve = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics?keys=validation.logLoss");

        Assert.Equal(HttpStatusCode.Accepted, busy.StatusCode);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        var steps = curve.GetProperty("validation.logLoss").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (long)i), steps);
        Assert.DoesNotContain(curve.GetProperty("validation.logLoss").EnumerateArray(), p => p.GetProperty("value").GetDouble() == 42);
    }

    [Theory]
    [InlineData("""{"trainer":"NoSuchTrainer"}""", "NoSuchTrainer")]
    [InlineData("""{"hyperparameters":{"learningRate":5000}}""", "learningRate must be between")]
    [InlineData("""{"hyperparameters":{"learningRate":"fast"}}""", "must be a number")]
    [InlineData("""{"labelColumn":"nope"}""", "does not exist")]
    [InlineData("""{"task":"regression","labelColumn":"email"}""", "numeric label")]
    [InlineData("""{"task":"clustering"}""", "binary, multiclass or regression")]
    [InlineData("""{"validationFraction":0.9}""", "validationFraction")]
    [InlineData("""{"experiment":""}""", "experiment is required")]
    public async Task BadSubmissionIsRefusedWithTheReasonAndNoRunIsCreated(string overrides, string expected)
    {
        var (client, dataset) = await ScientistWithLoansAsync();
        var body = JsonSerializer.SerializeToNode(Request(dataset, "LightGbm", new { }))!.AsObject();
        foreach (var (key, value) in JsonNode(overrides))
        {
            body[key] = value?.DeepClone();
        }

        var before = factory.QueryColumn("SELECT COUNT(*) FROM Runs").Single();
        var response = await client.PostAsJsonAsync("/api/runs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(before, factory.QueryColumn("SELECT COUNT(*) FROM Runs").Single());
    }

    private static System.Text.Json.Nodes.JsonObject JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();

    private async Task<JsonElement> SubmitAndWaitAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/runs", request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await client.WaitForRunAsync((await response.JsonAsync()).GetProperty("runId").GetGuid(), TrainingTimeout);
    }

    private static object Request((Guid Id, int Version) dataset, string trainer, object hyperparameters, int seed = 42) => new
    {
        experiment = "loan-default",
        datasetId = dataset.Id,
        datasetVersion = dataset.Version,
        labelColumn = LoanDefaultGenerator.Label,
        task = "binary",
        trainer,
        hyperparameters,
        validationFraction = 0.2,
        seed,
    };

    private async Task<(HttpClient, (Guid, int))> ScientistWithLoansAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);
        return (client, await client.UploadLoansAsync("loans", rows: 2000, seed: 11));
    }
}
