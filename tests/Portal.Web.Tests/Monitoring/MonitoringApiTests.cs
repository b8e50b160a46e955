using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Domain.Monitoring;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;
using static Portal.Web.Tests.Monitoring.MonitoringData;

namespace Portal.Web.Tests.Monitoring;

/// <summary><c>GET /api/models/{name}/monitoring</c>: a model's latest windows as the dashboard shows them, its health and its active alerts.</summary>
public sealed class MonitoringApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private readonly MonitoringData data = new(factory);
    private readonly RegistryDriver driver = new(factory);

    [Fact]
    public async Task TheLatestWindowsOfAKindComeOldestFirstWithDriftQualityPredictionsHealthAndActiveAlerts()
    {
        var model = await data.ChampionAsync(validationAccuracy: 0.86);
        await data.WindowAsync(model, 1, 0.85, [Numeric("income", 0.02, false), Categorical("region", 0.01, false)]);
        await data.WindowAsync(model, 2, 0.84, [Numeric("income", 0.05, false), Categorical("region", 0.03, false)]);
        var drifting = await data.WindowAsync(model, 3, 0.83, [Numeric("income", 0.41, true, 0.32, 1e-7), Categorical("region", 0.04, false)]);
        await data.WindowAsync(model, 3, 0.5, [Numeric("income", 0.9, true)], kind: WindowKind.Count);
        await data.AlertAsync(model, drifting, AlertRule.Drift, "income", AlertSeverity.Warning, "PSI 0.41 ≥ 0.20 on income over 400 rows");
        await data.AlertAsync(model, drifting, AlertRule.DataQuality, "region", AlertSeverity.Info, "cleared before", resolved: true);
        var manager = await driver.ManagerAsync();

        var body = await manager.GetFromJsonAsync<JsonElement>($"/api/models/{model.Name}/monitoring?limit=2");

        Assert.Equal(("time", 2, 1, 0.86, "accuracy"), (body.GetProperty("kind").GetString(), body.GetProperty("limit").GetInt32(),
            body.GetProperty("championVersion").GetInt32(), body.GetProperty("validation").GetDouble(), body.GetProperty("metric").GetString()));
        var windows = body.GetProperty("windows").EnumerateArray().ToList();
        Assert.Equal([0.84, 0.83], windows.Select(w => w.GetProperty("accuracy").GetDouble()));
        var income = windows[1].GetProperty("drift").GetProperty("features")[0];
        Assert.Equal(("income", "numeric", "ks", 0.32, 1e-7, 0.41, true), (income.GetProperty("name").GetString(), income.GetProperty("kind").GetString(),
            income.GetProperty("test").GetString(), income.GetProperty("statistic").GetDouble(), income.GetProperty("pValue").GetDouble(),
            income.GetProperty("psi").GetDouble(), income.GetProperty("drifted").GetBoolean()));
        Assert.Equal("chi2", windows[1].GetProperty("drift").GetProperty("features")[1].GetProperty("test").GetString());
        Assert.Equal(5000, windows[1].GetProperty("drift").GetProperty("referenceRows").GetInt64());
        Assert.Equal((4, 5L), (windows[1].GetProperty("quality").GetProperty("schemaViolations").GetInt32(),
            windows[1].GetProperty("quality").GetProperty("features")[0].GetProperty("outOfRange").GetInt64()));
        Assert.Equal(["true", "false"], windows[1].GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()));
        var health = body.GetProperty("health");
        Assert.Equal("Alert", health.GetProperty("status").GetString());
        Assert.Equal(["income"], health.GetProperty("driftedFeatures").EnumerateArray().Select(f => f.GetString()));
        var alert = Assert.Single(body.GetProperty("alerts").EnumerateArray());
        Assert.Equal(("Drift", "income", "Open", drifting.Id.ToString()), (alert.GetProperty("rule").GetString(), alert.GetProperty("feature").GetString(),
            alert.GetProperty("status").GetString(), alert.GetProperty("windowId").GetString()));
    }

    [Fact]
    public async Task CountWindowsAreServedWhenAskedAndTimeWindowsOtherwise()
    {
        var model = await data.ChampionAsync();
        await data.WindowAsync(model, 1, 0.8, [Numeric("income", 0.01, false)]);
        await data.WindowAsync(model, 1, 0.7, [Numeric("income", 0.01, false)], kind: WindowKind.Count);
        var scientist = await driver.ScientistAsync();

        var count = await scientist.GetFromJsonAsync<JsonElement>($"/api/models/{model.Name}/monitoring?kind=count");
        var time = await scientist.GetFromJsonAsync<JsonElement>($"/api/models/{model.Name}/monitoring");

        Assert.Equal(0.7, Assert.Single(count.GetProperty("windows").EnumerateArray()).GetProperty("accuracy").GetDouble());
        Assert.Equal("count", count.GetProperty("kind").GetString());
        Assert.Equal(0.8, Assert.Single(time.GetProperty("windows").EnumerateArray()).GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public async Task AModelThatServedNoTrafficYetHasNoWindowsAndNoDataHealth()
    {
        var model = await data.ChampionAsync();
        var officer = await driver.DpoAsync();

        var body = await officer.GetFromJsonAsync<JsonElement>($"/api/models/{model.Name}/monitoring");

        Assert.Empty(body.GetProperty("windows").EnumerateArray());
        Assert.Equal("NoData", body.GetProperty("health").GetProperty("status").GetString());
        Assert.Contains("No predictions logged yet", body.GetProperty("health").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task LiveAccuracyPastTheAllowedDropOnEnoughLabelsIsAnAlertEvenBeforeTheLoopRaisesOne()
    {
        var model = await data.ChampionAsync(validationAccuracy: 0.86);
        await data.WindowAsync(model, 1, 0.70, [Numeric("income", 0.01, false)], labels: 300);
        var manager = await driver.ManagerAsync();

        var health = (await manager.GetFromJsonAsync<JsonElement>($"/api/models/{model.Name}/monitoring")).GetProperty("health");

        Assert.Equal("Alert", health.GetProperty("status").GetString());
        Assert.Contains("16 points below validation 0.86", health.GetProperty("reason").GetString());
        Assert.Equal(0.70, health.GetProperty("live").GetDouble());
    }

    [Theory]
    [InlineData("kind=hourly", "kind is time or count")]
    [InlineData("limit=0", "limit is a whole number from 1 to 500")]
    [InlineData("limit=501", "limit is a whole number from 1 to 500")]
    [InlineData("limit=ten", "limit is a whole number from 1 to 500")]
    public async Task ABadKindOrLimitIsRefusedNamingTheAllowedValues(string query, string expected)
    {
        var model = await data.WithoutChampionAsync();
        var manager = await driver.ManagerAsync();

        var response = await manager.GetAsync($"/api/models/{model.Name}/monitoring?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownModelIsNotFound()
    {
        var manager = await driver.ManagerAsync();

        var response = await manager.GetAsync("/api/models/no-such-model-here/monitoring");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No model named no-such-model-here", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TheEndpointIsDescribedInOpenApi()
    {
        var manager = await BrowserSession.SignInAsync(factory, DemoAccounts.Manager);

        var document = await manager.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/models/{name}/monitoring", document);
        Assert.Contains("GetModelMonitoring", document);
    }
}
