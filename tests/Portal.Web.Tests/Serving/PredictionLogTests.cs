using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Serving;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;
using Portal.Web.Features.Serving;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Serving;

/// <summary>The prediction log on SQLite (one prepared INSERT per flush, bound from UTF-8 bytes through SQLite's statement API).</summary>
public sealed class PredictionLogTests(PortalAppFactory factory) : PredictionLogTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>The prediction log on a private PostgreSQL server (binary COPY).</summary>
public sealed class PostgresPredictionLogTests(PostgresAppFactory factory) : PredictionLogTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>
/// What the provider's bulk writer puts in the log is what EF reads back: every column, the rows byte for byte (non-ASCII
/// included), outputs that feedback can judge, times and ids that EF's own queries compare, and every request of a burst
/// larger than one INSERT statement.
/// </summary>
public abstract class PredictionLogTestsBase(PortalAppFactory factory)
{
    private readonly ServingDriver driver = new(factory);

    [Fact]
    public async Task ALoggedRequestReadsBackThroughEfWithItsRowsAsSentAndItsOutputsJudgeable()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);
        var before = DateTime.UtcNow.AddSeconds(-1);
        const string body = """{"rows":[{"income":9,"debt":9,"age":9},{"income":1,"debt":2,"age":3,"städte-名前 😀":"ü"},{"income":0,"debt":0,"age":0}]}""";

        var response = await client.PostAsync($"/api/models/{model}/predict", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var predictions = (await ServingDriver.OkJsonAsync(response)).GetProperty("predictions").EnumerateArray().ToList();
        var batchId = PredictionId.Parse(predictions[0].GetProperty("predictionId").GetString()!).Batch;
        var logged = await driver.LoggedAsync(batchId);
        await using var db = await DbAsync();
        var modelId = await db.RegisteredModels.Where(m => m.Name == model).Select(m => m.Id).SingleAsync();
        Assert.Equal(modelId, logged.ModelId);
        Assert.Equal(1, logged.VersionNumber);
        Assert.Null(logged.RolloutId);
        Assert.Equal(ServingArm.Champion, logged.Arm);
        Assert.Equal(3, logged.RowCount);
        Assert.Equal(1, logged.ErrorCount);
        Assert.InRange(logged.ReceivedUtc, before, DateTime.UtcNow.AddSeconds(1));
        Assert.True(logged.DurationMicroseconds > 0);
        using (var sent = JsonDocument.Parse(body))
        using (var stored = JsonDocument.Parse(logged.InputsJson))
        {
            Assert.Equal(sent.RootElement.GetProperty("rows").GetRawText(), stored.RootElement.GetRawText());
            Assert.Equal("ü", stored.RootElement[1].GetProperty("städte-名前 😀").GetString());
        }

        var outputs = JsonSerializer.Deserialize<LoggedOutput[]>(logged.OutputsJson, LoggedOutput.Json)!;
        Assert.Equal(3, outputs.Length);
        Assert.Equal("true", outputs[0].PredictedLabel);
        Assert.Equal(1.0, outputs[0].Probabilities!.Values.Sum(), 6);
        Assert.Contains("extra: städte-名前 😀", outputs[1].Error, StringComparison.Ordinal);
        Assert.Equal("false", outputs[2].PredictedLabel);

        // EF's own predicates over the written columns: the (model, time) index's query and the id lookup.
        Assert.Equal(1, await db.PredictionBatches.CountAsync(b => b.ModelId == modelId && b.ReceivedUtc >= before && b.Id == batchId));
        var feedback = await client.PostAsJsonAsync("/api/feedback", new { items = new[] { new { predictionId = predictions[2].GetProperty("predictionId").GetString(), actualLabel = "false" } } });
        var item = (await ServingDriver.OkJsonAsync(feedback)).GetProperty("items")[0];
        Assert.Equal("recorded", item.GetProperty("result").GetString());
        Assert.True(item.GetProperty("correct").GetBoolean());
    }

    [Fact]
    public async Task EveryRequestOfABurstLargerThanOneStatementIsLoggedOnce()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);

        var answers = await Task.WhenAll(Enumerable.Range(0, 130).Select(async i =>
            await ServingDriver.OkJsonAsync(await ServingDriver.PredictAsync(client, model, [ServingDriver.Row(i % 10, 1, 1)]))));

        var batches = answers.Select(a => PredictionId.Parse(a.GetProperty("predictions")[0].GetProperty("predictionId").GetString()!).Batch).ToHashSet();
        Assert.Equal(130, batches.Count);
        var logged = 0;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await DbAsync();
            logged = await db.PredictionBatches.CountAsync(b => batches.Contains(b.Id));
            return logged >= batches.Count;
        }, "all 130 requests to be logged");

        Assert.Equal(130, logged);
    }

    [Fact]
    public async Task ARefusedRequestIsLoggedWithItsErrorsAndNoPrediction()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);
        var response = await ServingDriver.PredictAsync(client, model, [new { income = "x", debt = 1, age = 1 }]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        PredictionBatch? refused = null;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await DbAsync();
            refused = await db.PredictionBatches.AsNoTracking().SingleOrDefaultAsync(b => b.ModelId == db.RegisteredModels.Single(m => m.Name == model).Id);
            return refused is not null;
        }, "the refused request to be logged");

        Assert.NotNull(refused);
        Assert.Equal(1, refused.ErrorCount);
        var output = Assert.Single(JsonSerializer.Deserialize<LoggedOutput[]>(refused.OutputsJson, LoggedOutput.Json)!);
        Assert.Null(output.PredictedLabel);
        Assert.Equal("'income' must be a number", output.Error);
    }

    [Fact]
    public async Task AFlushWhoseRequestsDifferFromTheOneBeforeInEachColumnReadsBackAsWrittenThroughEf()
    {
        var first = await driver.ModelWithChampionAsync(versions: 2);
        var second = await driver.ModelWithChampionAsync();
        ModelVersion[] versions;
        await using (var db = await DbAsync())
        {
            versions = await db.ModelVersions.AsNoTracking()
                .Where(v => db.RegisteredModels.Any(m => m.Id == v.ModelId && (m.Name == first || m.Name == second)))
                .OrderBy(v => v.ModelId).ThenBy(v => v.Number).ToArrayAsync();
        }

        Assert.Equal(3, versions.Length);
        var rollout = RolloutId.New(DateTimeOffset.UtcNow);
        var second0 = DateTime.SpecifyKind(DateTime.UtcNow.Date.AddHours(9), DateTimeKind.Utc);
        // Whole microseconds (PostgreSQL's precision), with fractions of every length SQLite's text keeps: none, one digit,
        // six, and trailing zeros to drop. Requests repeat their predecessor in some columns and differ in others, then
        // change back, so a value left bound from the request before would show.
        long[] fractionTicks = [0, 1_000_000, 1_234_560, 10, 9_999_990, 5_000_000, 0, 120];
        var rows = fractionTicks.Select((ticks, i) =>
        {
            var version = versions[i % 3 == 2 ? 2 : i % 2];
            var received = second0.AddSeconds(i).AddTicks(ticks);
            return new PredictionLogRow(PredictionBatchId.New(new DateTimeOffset(received)), version.ModelId, version.Id, version.Number,
                i is 2 or 3 ? rollout : null, i is 3 or 4 ? ServingArm.Canary : ServingArm.Champion, received, i < 4 ? 1 : 3, i is 1 or 5 ? 1 : 0, 100 + i,
                System.Text.Encoding.UTF8.GetBytes($$"""[{"income":{{i}},"debt":2,"age":"ü{{i}}"}]"""), System.Text.Encoding.UTF8.GetBytes($$"""[{"predictedLabel":"{{i % 2 == 0}}"}]"""));
        }).ToArray();

        await using (var db = await DbAsync())
        {
            await factory.Services.GetRequiredService<PredictionLogBatchWriter>().InsertAsync(db, rows, CancellationToken.None);
        }

        await using var read = await DbAsync();
        foreach (var row in rows)
        {
            var logged = await read.PredictionBatches.AsNoTracking().SingleAsync(b => b.Id == row.Id);
            Assert.Equal(
                (row.ModelId, row.ModelVersionId, row.VersionNumber, row.RolloutId, row.Arm, row.ReceivedUtc, row.RowCount, row.ErrorCount, row.DurationMicroseconds),
                (logged.ModelId, logged.ModelVersionId, logged.VersionNumber, logged.RolloutId, logged.Arm, logged.ReceivedUtc, logged.RowCount, logged.ErrorCount, logged.DurationMicroseconds));
            Assert.Equal(System.Text.Encoding.UTF8.GetString(row.InputsUtf8.Span), logged.InputsJson);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(row.OutputsUtf8.Span), logged.OutputsJson);
            // EF's own comparison of the stored time (text on SQLite) finds exactly this request.
            Assert.Equal(1, await read.PredictionBatches.CountAsync(b => b.ModelVersionId == row.ModelVersionId && b.ReceivedUtc == row.ReceivedUtc));
        }
    }

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
}
