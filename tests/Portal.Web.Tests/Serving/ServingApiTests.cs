using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Security;
using Portal.Domain.Serving;
using Portal.Ml.Serving;
using Portal.Web.Features.Serving;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Serving;

public sealed class ServingApiTests(ServingAppFactory factory) : IClassFixture<ServingAppFactory>
{
    private readonly ServingDriver driver = new(factory);

    [Fact]
    public async Task PredictAnswersEachRowWithTheChampionsVersionAndNumberedPredictionIds()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);

        var body = await ServingDriver.OkJsonAsync(await ServingDriver.PredictAsync(client, model, [ServingDriver.Row(9, 9, 9), ServingDriver.Row(0, 0, 0)]));

        var predictions = body.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(2, predictions.Count);
        Assert.All(predictions, p => Assert.Equal(1, p.GetProperty("modelVersion").GetInt32()));
        Assert.Equal(["true", "false"], predictions.Select(p => p.GetProperty("predictedLabel").GetString()));
        Assert.All(predictions, p => Assert.Equal(1.0, p.GetProperty("probabilities").EnumerateObject().Sum(c => c.Value.GetDouble()), 6));
        var ids = predictions.Select(p => PredictionId.Parse(p.GetProperty("predictionId").GetString()!)).ToList();
        Assert.Equal(ids[0].Batch, ids[1].Batch);
        Assert.Equal([0, 1], ids.Select(i => i.Row));
    }

    [Fact]
    public async Task TheAnswerWrittenStraightFromTheScoredRowsIsTheDocumentedResponseAsTheApiSerializesIt()
    {
        var batch = PredictionBatchId.New(DateTimeOffset.UtcNow);
        // Past the answer's first flush (32 KB), with a row of every kind, one with no members at all among them.
        RowPrediction[] rows =
        [
            new("ja ✓", null, new Dictionary<string, double> { ["ja ✓"] = 0.1 + 0.2, ["<nein>"] = 0.7 }, null),
            new(null, 1e-17, null, null),
            RowPrediction.Refused("missing: \"age\"; 'income' must be a number"),
            RowPrediction.ModelFailed("the model failed: ü"),
            new(null, null, null, null),
            .. Enumerable.Range(0, 600).Select(i => new RowPrediction(i % 2 == 0 ? "true" : "false", null,
                new Dictionary<string, double> { ["true"] = i / 600.0, ["false"] = 1 - (i / 600.0) }, null)),
        ];
        var http = new DefaultHttpContext { RequestServices = factory.Services };
        using var written = new MemoryStream();
        http.Response.Body = written;
        var options = factory.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        await new ScoredBatch(batch, 7, WrittenOutputs.Write(rows, options.Encoder)).ExecuteAsync(http);

        var documented = new PredictResponse([.. rows.Select((p, r) =>
            new PredictionOutput(PredictionId.For(batch, r), 7, p.PredictedLabel, p.Score, p.Probabilities, p.Error))]);
        Assert.True(written.Length > 32 * 1024);
        Assert.Equal(JsonSerializer.Serialize(documented, options), Encoding.UTF8.GetString(written.ToArray()));
        Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", http.Response.ContentType);
    }

    [Fact]
    public async Task TheBodyIsReadAsTheBinderWouldAndWhatIsWrongWithItIsNamed()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);
        var url = $"/api/models/{model}/predict";
        Task<HttpResponseMessage> Post(byte[] body, string contentType = "application/json")
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return client.PostAsync(url, content);
        }

        // Names in any case, unknown members ignored, a byte order mark skipped, a +json type taken.
        var lenient = await ServingDriver.OkJsonAsync(await Post(
            [0xEF, 0xBB, 0xBF, .. """{"ROWS":[{"income":9,"debt":9,"age":9}],"RoutingKey":"customer-1","note":"ignored"}"""u8], "application/vnd.portal+json"));
        Assert.Equal("true", lenient.GetProperty("predictions")[0].GetProperty("predictedLabel").GetString());

        // A body past the first buffer (1 MB) is read to its end: here 2 MB of whitespace before the closing brace.
        var padded = await ServingDriver.OkJsonAsync(await Post(
            [.. """{"rows":[{"income":0,"debt":0,"age":0}]"""u8, .. Enumerable.Repeat((byte)' ', 2 * 1024 * 1024), .. "}"u8]));
        Assert.Equal("false", padded.GetProperty("predictions")[0].GetProperty("predictedLabel").GetString());

        (string Body, HttpStatusCode Status, string Detail)[] refused =
        [
            ("""{"rows":[{"income":9,"debt":9,"age":9}],"routingKey":5}""", HttpStatusCode.BadRequest, "'routingKey' must be a string"),
            ("""[{"income":9,"debt":9,"age":9}]""", HttpStatusCode.BadRequest, "Send a JSON object"),
            ("""{"rows":[{"income":9,"debt":9,"age":9}""", HttpStatusCode.BadRequest, "The JSON body is malformed"),
            ("", HttpStatusCode.BadRequest, "The JSON body is malformed"),
            ("""{"rows":null}""", HttpStatusCode.BadRequest, "Send 'rows'"),
        ];
        foreach (var (body, status, detail) in refused)
        {
            var response = await Post(Encoding.UTF8.GetBytes(body));
            Assert.Equal(status, response.StatusCode);
            Assert.Contains(detail, (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var text = await Post("""{"rows":[{"income":9,"debt":9,"age":9}]}"""u8.ToArray(), "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BadRowGetsItsOwnErrorNamingTheFieldsAndTheOtherRowsAreAnswered()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);

        var body = await ServingDriver.OkJsonAsync(await ServingDriver.PredictAsync(client, model,
            [ServingDriver.Row(), new { income = "high", debt = 1, foo = 2 }, ServingDriver.Row(1, 1, 1)]));

        var predictions = body.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal("missing: age; extra: foo; 'income' must be a number", predictions[1].GetProperty("error").GetString());
        Assert.False(predictions[1].TryGetProperty("predictedLabel", out _));
        Assert.All(new[] { predictions[0], predictions[2] }, p => Assert.False(p.TryGetProperty("error", out _)));
    }

    [Fact]
    public async Task RequestWhoseOnlyRowIsMistypedIsRefusedWith400NamingTheField()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);

        var response = await ServingDriver.PredictAsync(client, model, [new { income = 1, debt = 2 }]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("missing: age", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BatchOverTheLimitIsRefusedSayingTheLimit()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);

        var response = await ServingDriver.PredictAsync(client, model, [.. Enumerable.Repeat(ServingDriver.Row(), 1001)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 1000 rows; this one has 1001", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelWithoutAChampionIsRefusedWith409AndAnUnknownModelWith404()
    {
        var scientist = await driver.Registry.ScientistAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1, "unserved");
        var client = await driver.PredictClientAsync(factory);

        var noChampion = await ServingDriver.PredictAsync(client, model, [ServingDriver.Row()]);
        var unknown = await ServingDriver.PredictAsync(client, "no-such-model", [ServingDriver.Row()]);

        Assert.Equal(HttpStatusCode.Conflict, noChampion.StatusCode);
        Assert.Contains("no version in Production", (await noChampion.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task TokenWithoutThePredictScopeIsRefused()
    {
        var model = await driver.ModelWithChampionAsync();
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);

        var response = await ServingDriver.PredictAsync(TokenFactory.ClientWith(factory, token.Token), model, [ServingDriver.Row()]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PredictionsAreLoggedAndFeedbackIsJudgedPerItemWithUnknownIdsNotFound()
    {
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(factory);
        var body = await ServingDriver.OkJsonAsync(await ServingDriver.PredictAsync(client, model, [ServingDriver.Row(9, 9, 9), ServingDriver.Row(0, 0, 0)]));
        var ids = body.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("predictionId").GetString()!).ToList();
        await driver.LoggedAsync(PredictionId.Parse(ids[0]).Batch);
        var unknown = PredictionId.For(PredictionBatchId.New(DateTimeOffset.UtcNow), 0).ToString();

        var answer = await client.PostAsJsonAsync("/api/feedback", new
        {
            items = new object[]
            {
                new { predictionId = ids[0], actualLabel = "yes" },
                new { predictionId = ids[1], actualLabel = "1" },
                new { predictionId = unknown, actualLabel = "true" },
                new { predictionId = "not-an-id", actualLabel = "true" },
            },
        });

        var items = (await ServingDriver.OkJsonAsync(answer)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["recorded", "recorded", "notFound", "invalid"], items.Select(i => i.GetProperty("result").GetString()));
        Assert.Equal([200, 200, 404, 400], items.Select(i => i.GetProperty("status").GetInt32()));
        Assert.True(items[0].GetProperty("correct").GetBoolean());
        Assert.False(items[1].GetProperty("correct").GetBoolean());

        var corrected = await client.PostAsJsonAsync("/api/feedback", new { items = new[] { new { predictionId = ids[1], actualLabel = "false" } } });
        await ServingDriver.OkJsonAsync(corrected);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var stored = await db.PredictionFeedback.AsNoTracking().Where(f => f.PredictionId == PredictionId.Parse(ids[1])).ToListAsync();
        Assert.Equal("false", Assert.Single(stored).ActualLabel);
        Assert.True(stored[0].Correct);

        var allUnknown = await client.PostAsJsonAsync("/api/feedback", new { items = new[] { new { predictionId = unknown, actualLabel = "true" } } });
        Assert.Equal(HttpStatusCode.NotFound, allUnknown.StatusCode);
    }

    [Fact]
    public async Task ChampionChangeUnderConcurrentLoadAnswersEveryRequestWithExactlyOneVersion()
    {
        var model = await driver.ModelWithChampionAsync(versions: 2);
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => driver.PredictClientAsync(factory)));
        var answers = new ConcurrentBag<(HttpStatusCode Status, int[] Versions)>();
        using var stop = new CancellationTokenSource();

        async Task LoadAsync(HttpClient client)
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await ServingDriver.PredictAsync(client, model, [ServingDriver.Row(), ServingDriver.Row(1, 2, 3), ServingDriver.Row(9, 9, 9)]);
                var versions = response.IsSuccessStatusCode
                    ? (await response.JsonAsync()).GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("modelVersion").GetInt32()).ToArray()
                    : [];
                answers.Add((response.StatusCode, versions));
            }
        }

        var load = clients.Select(LoadAsync).ToList();
        await Task.Delay(300);
        await driver.PromoteAsync(model, 2);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!answers.Any(a => a.Versions.FirstOrDefault() == 2) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.Single(a.Versions.Distinct()));
        Assert.Contains(answers, a => a.Versions[0] == 1);
        Assert.Contains(answers, a => a.Versions[0] == 2);
    }
}
