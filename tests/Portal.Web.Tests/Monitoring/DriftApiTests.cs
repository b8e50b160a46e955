using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Data;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Registry;
using Portal.Ml.DemoData;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;
using Portal.Web.Tests.Serving;

namespace Portal.Web.Tests.Monitoring;

/// <summary>
/// The embedded worker trains a real model on a real loan dataset; the version goes to Production through the registry; real
/// predict requests are served and logged; <c>GET /api/models/{name}/drift</c> compares what was predicted with the training data.
/// </summary>
public sealed class DriftApiTests(DriftApiTests.Factory factory) : IClassFixture<DriftApiTests.Factory>
{
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task ShiftedFeaturesAreReportedDriftedAndUnshiftedOnesAreNot()
    {
        var model = await factory.ModelAsync();
        var from = DateTime.UtcNow.AddMinutes(-1);
        // The same generator with covariate drift: credit score down 40 points, debt-to-income up 0.12; term and purpose unchanged.
        var served = await factory.ServeAsync(model, seed: 41, rows: 600, covariateDrift: 1.0);
        var to = DateTime.UtcNow.AddMinutes(1);

        var drift = await DriftWhenAllLoggedAsync(model, from, to, served);

        var features = drift.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(2000, drift.GetProperty("reference").GetProperty("rows").GetInt64());
        Assert.Equal(600, drift.GetProperty("current").GetProperty("rows").GetInt64());
        var credit = features["credit_score"];
        Assert.Equal("numeric", credit.GetProperty("kind").GetString());
        Assert.Equal("ks", credit.GetProperty("test").GetString());
        Assert.True(credit.GetProperty("drifted").GetBoolean(), credit.ToString());
        Assert.True(credit.GetProperty("pValue").GetDouble() < 1e-6, credit.ToString());
        Assert.True(features["debt_to_income"].GetProperty("drifted").GetBoolean(), features["debt_to_income"].ToString());
        var purpose = features["purpose"];
        Assert.Equal("categorical", purpose.GetProperty("kind").GetString());
        Assert.Equal("chi2", purpose.GetProperty("test").GetString());
        Assert.False(purpose.GetProperty("drifted").GetBoolean(), purpose.ToString());
        Assert.False(features["term_months"].GetProperty("drifted").GetBoolean(), features["term_months"].ToString());
    }

    [Fact]
    public async Task UnshiftedTrafficDriftsOnNoFeatureTheGeneratorLeavesAlone()
    {
        var model = await factory.ModelAsync();
        var from = DateTime.UtcNow.AddMinutes(-1);
        var served = await factory.ServeAsync(model, seed: 43, rows: 400, covariateDrift: 0);
        var to = DateTime.UtcNow.AddMinutes(1);

        var drift = await DriftWhenAllLoggedAsync(model, from, to, served);

        var features = drift.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(features);
        var credit = features.Single(f => f.GetProperty("name").GetString() == "credit_score");
        Assert.False(credit.GetProperty("drifted").GetBoolean(), credit.ToString());
        Assert.True(credit.GetProperty("pValue").GetDouble() > 0.05, credit.ToString());
        Assert.True(credit.GetProperty("psi").GetDouble() < 0.1, credit.ToString());
    }

    [Fact]
    public async Task SpanWithoutPredictionsAnswersZeroRowsAndNoFeatures()
    {
        var model = await factory.ModelAsync();
        var client = await factory.ReaderAsync();

        var response = await client.GetAsync($"/api/models/{model}/drift?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z");

        var body = await ServingDriver.OkJsonAsync(response);
        Assert.Equal(0, body.GetProperty("current").GetProperty("rows").GetInt64());
        Assert.Empty(body.GetProperty("features").EnumerateArray());
    }

    [Theory]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "'from' must be before 'to'")]
    [InlineData("from=yesterday", "'from' is an ISO 8601")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "at most 31 days")]
    public async Task InvalidSpanIsRefusedWithWhatToFix(string query, string expected)
    {
        var client = await factory.ReaderAsync();

        var response = await client.GetAsync($"/api/models/anything/drift?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModelIsNotFoundAndModelWithoutChampionIsAConflict()
    {
        var client = await factory.ReaderAsync();
        var scientist = await factory.Driver.Registry.ScientistAsync();
        var withoutChampion = await RegistryDriver.CreateModelAsync(scientist, "drift-none");

        var unknown = await client.GetAsync($"/api/models/no-such-model-{Guid.NewGuid():N}/drift");
        var conflict = await client.GetAsync($"/api/models/{withoutChampion}/drift");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("no version in Production", (await conflict.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> DriftWhenAllLoggedAsync(string model, DateTime from, DateTime to, int rows)
    {
        var client = await factory.ReaderAsync();
        var url = $"/api/models/{model}/drift?from={Iso(from)}&to={Iso(to)}";
        JsonElement body = default;
        // The prediction log is written shortly after each answer: poll until every served row is in it.
        await Eventually.TrueAsync(async () =>
        {
            body = await ServingDriver.OkJsonAsync(await client.GetAsync(url));
            return body.GetProperty("current").GetProperty("rows").GetInt64() >= rows;
        }, $"{rows} logged rows of {model}");
        return body;
    }

    private static string Iso(DateTime utc) => Uri.EscapeDataString(utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));

    /// <summary>The serving app with the embedded worker training runs; promotion evaluations are completed by the test (as the serving tests do).</summary>
    public sealed class Factory : ServingAppFactory
    {
        private readonly SemaphoreSlim gate = new(1, 1);
        private HttpClient? reader;
        private ServingDriver? driver;
        private (Guid Id, int Version)? dataset;
        private Guid? runId;

        public ServingDriver Driver => driver ??= new ServingDriver(this);

        public async Task<HttpClient> ReaderAsync() => reader ??= await Driver.Registry.ClientAsync(DemoAccounts.Manager);

        /// <summary>A new model whose version 1 (the one run trained on 2,000 loan rows, shared by the tests) is in Production.</summary>
        public async Task<string> ModelAsync()
        {
            var scientist = await Driver.Registry.ScientistAsync();
            await gate.WaitAsync();
            try
            {
                if (runId is null)
                {
                    dataset = await scientist.UploadLoansAsync("drift-loans", rows: 2000, seed: 17);
                    var id = await scientist.SubmitLoanRunAsync(dataset.Value, "drift-api", "FastTree", new { numberOfTrees = 10, numberOfLeaves = 4 });
                    var run = await scientist.WaitForRunAsync(id, TrainingTimeout);
                    Assert.Equal("Succeeded", run.GetProperty("status").GetString());
                    runId = id;
                }
            }
            finally
            {
                gate.Release();
            }

            var model = await RegistryDriver.CreateModelAsync(scientist, "drift");
            Assert.Equal(1, await RegistryDriver.RegisterAsync(scientist, model, runId!.Value));
            await Driver.PromoteAsync(model, 1);
            return model;
        }

        /// <summary>Serves generated loan rows (as JSON per the production version's signature) in requests of 100; returns the rows sent.</summary>
        public async Task<int> ServeAsync(string model, int seed, int rows, double covariateDrift)
        {
            IReadOnlyList<InputFeature> signature;
            await using (var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            {
                var modelId = await db.RegisteredModels.Where(m => m.Name == model).Select(m => m.Id).SingleAsync();
                signature = await db.ModelVersions.Where(v => v.ModelId == modelId && v.Stage == ModelStage.Production).Select(v => v.InputSignature).SingleAsync();
            }

            using var csv = new MemoryStream();
            new LoanDefaultGenerator(seed).Write(csv, rows, covariateDrift);
            var lines = System.Text.Encoding.UTF8.GetString(csv.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var header = lines[0].Split(',');
            var objects = lines.Skip(1).Select(line => Row(header, line.Split(','), signature)).ToArray();
            var client = await Driver.PredictClientAsync(this);
            foreach (var chunk in objects.Chunk(100))
            {
                var response = await ServingDriver.PredictAsync(client, model, chunk);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }

            return objects.Length;
        }

        private static object Row(string[] header, string[] cells, IReadOnlyList<InputFeature> signature)
        {
            var row = new JsonObject();
            foreach (var feature in signature)
            {
                var cell = cells[Array.IndexOf(header, feature.Name)];
                row[feature.Name] = feature.Type switch
                {
                    "Single" or "Double" or "Int32" or "Int64" => JsonValue.Create(double.Parse(cell, CultureInfo.InvariantCulture)),
                    "Boolean" => JsonValue.Create(cell is "yes" or "true" or "1"),
                    _ => JsonValue.Create(cell),
                };
            }

            return row;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Worker:Embedded", "true");
            builder.UseSetting("Training:PollSeconds", "1");
            builder.UseSetting("Training:FlushMilliseconds", "100");
            builder.ConfigureTestServices(services =>
            {
                // The test completes promotion evaluations itself (RegistryDriver.EvaluateAsync stands in for the worker).
                var evaluator = services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType?.Name == "PromotionEvaluationHostService").ToList();
                foreach (var descriptor in evaluator)
                {
                    services.Remove(descriptor);
                }
            });
        }

        public override async ValueTask DisposeAsync()
        {
            gate.Dispose();
            await base.DisposeAsync();
        }
    }
}
