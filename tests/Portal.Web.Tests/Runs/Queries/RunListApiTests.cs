using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Queries;

/// <summary>The run list on SQLite.</summary>
public sealed class RunListApiTests(PortalAppFactory factory) : RunListApiTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>The run list on a private PostgreSQL server: NULL ordering and string matching differ from SQLite there.</summary>
public sealed class PostgresRunListApiTests(PostgresAppFactory factory) : RunListApiTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>
/// <c>GET /api/runs</c>: server-side paging, sorting and filtering, as the runs page uses them. Each test keeps to an
/// experiment of its own; its runs are externally tracked runs ended with a primary metric (AUC), or left running.
/// </summary>
public abstract class RunListApiTestsBase(PortalAppFactory factory)
{
    [Fact]
    public async Task PagesHoldPageSizeRunsNewestFirstAndTheTotalCountsThemAll()
    {
        var client = await ScientistAsync();
        var (experimentId, created) = await CreateRunsAsync(client, Enumerable.Range(0, 7).Select(i => ("LightGbm", (double?)(0.5 + (i / 100.0)))).ToArray());

        var first = await ListAsync(client, $"experimentId={experimentId}&pageSize=3");
        var last = await ListAsync(client, $"experimentId={experimentId}&pageSize=3&page=2");
        var oldestFirst = await ListAsync(client, $"experimentId={experimentId}&pageSize=3&descending=false");

        Assert.Equal(7, first.GetProperty("total").GetInt32());
        Assert.Equal(created.AsEnumerable().Reverse().Take(3), Ids(first));
        Assert.Equal([created[0]], Ids(last));
        Assert.Equal(created.Take(3), Ids(oldestFirst));
    }

    [Fact]
    public async Task FiltersNarrowTheListAndItsTotal()
    {
        var client = await ScientistAsync();
        var (experimentId, runs) = await CreateRunsAsync(client, ("LightGbm", 0.9), ("LightGbm", 0.7), ("FastTree", 0.8), ("FastTree", null));
        var scope = $"experimentId={experimentId}";

        Assert.Equal([runs[1], runs[0]], Ids(await ListAsync(client, $"{scope}&trainer=LightGbm")));
        Assert.Equal([runs[3]], Ids(await ListAsync(client, $"{scope}&status=Running")));
        Assert.Equal([runs[2], runs[0]], Ids(await ListAsync(client, $"{scope}&metricMin=0.75")));
        Assert.Equal([runs[2]], Ids(await ListAsync(client, $"{scope}&metricMin=0.75&metricMax=0.85")));
        Assert.Equal(4, (await ListAsync(client, $"{scope}&submittedBy=SCIENTIST")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await ListAsync(client, $"{scope}&submittedBy=manager")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await ListAsync(client, $"{scope}&trainer=FastTree&status=Succeeded")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task SortingByMetricPutsRunsWithoutOneLastEitherWay()
    {
        var client = await ScientistAsync();
        var (experimentId, runs) = await CreateRunsAsync(client, ("LightGbm", 0.7), ("LightGbm", null), ("LightGbm", 0.9), ("LightGbm", 0.8));

        var best = await ListAsync(client, $"experimentId={experimentId}&sortBy=metric&descending=true");
        var worst = await ListAsync(client, $"experimentId={experimentId}&sortBy=metric&descending=false");

        Assert.Equal([runs[2], runs[3], runs[0], runs[1]], Ids(best));
        Assert.Equal([runs[0], runs[3], runs[2], runs[1]], Ids(worst));
        Assert.Equal(0.9, best.GetProperty("items")[0].GetProperty("primaryMetricValue").GetDouble());
    }

    [Fact]
    public async Task PagesSortedByMetricRunOnFromTheLastScoredRunIntoTheUnscoredOnesNewestFirst()
    {
        var client = await ScientistAsync();
        var (experimentId, runs) = await CreateRunsAsync(client, ("FastTree", null), ("FastTree", 0.6), ("FastTree", 0.8), ("FastTree", null), ("FastTree", 0.7));
        var scope = $"experimentId={experimentId}&sortBy=metric&descending=true&pageSize=2";

        var pages = new List<List<Guid>>();
        for (var page = 0; page < 3; page++)
        {
            pages.Add(Ids(await ListAsync(client, $"{scope}&page={page}")));
        }

        Assert.Equal([runs[2], runs[4]], pages[0]);
        Assert.Equal([runs[1], runs[3]], pages[1]);
        Assert.Equal([runs[0]], pages[2]);
    }

    [Fact]
    public async Task SortingByStatusFollowsTheLifecycle()
    {
        var client = await ScientistAsync();
        var (experimentId, runs) = await CreateRunsAsync(client, ("LightGbm", 0.8), ("LightGbm", null), ("LightGbm", null), ("LightGbm", null));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runs[2]}/end", new { status = "Cancelled" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runs[1]}/end", new { status = "Failed", reason = "notebook crashed" })).StatusCode);

        var lifecycle = Ids(await ListAsync(client, $"experimentId={experimentId}&sortBy=status&descending=false"));
        var reversed = Ids(await ListAsync(client, $"experimentId={experimentId}&sortBy=status&descending=true"));

        // Running, Succeeded, Failed, Cancelled (alphabetically it would be Cancelled, Failed, Running, Succeeded).
        Assert.Equal([runs[3], runs[0], runs[1], runs[2]], lifecycle);
        Assert.Equal([runs[2], runs[1], runs[0], runs[3]], reversed);
        var first = (await ListAsync(client, $"experimentId={experimentId}&sortBy=status&descending=false")).GetProperty("items")[0];
        Assert.Equal("Running", first.GetProperty("status").GetString()); // named, as GET /api/runs/{id} names it
    }

    [Theory]
    [InlineData("sortBy=colour", "sortBy must be one of submitted, metric, trainer, status", "")]
    [InlineData("metricMin=0.9&metricMax=0.1", "metricMin must not exceed metricMax", "")]
    [InlineData("metric=logLoss", "metric must be one of areaUnderRocCurve, macroAccuracy, rSquared", "")]
    [InlineData("datasetId=loans", "datasetId", "loans")]
    [InlineData("status=Sleeping", "status", "Sleeping")]
    [InlineData("page=first", "page", "first")]
    public async Task BadListParametersAreRefusedWithTheReason(string query, string expected, string alsoNamed)
    {
        var client = await ScientistAsync();

        var response = await client.GetAsync($"/api/runs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains(expected, detail);
        Assert.Contains(alsoNamed, detail);
    }

    [Fact]
    public async Task TheDatasetFilterListsTheRunsTrainedOnAnyVersionOfThatDatasetEachNamingItsDatasetAndVersion()
    {
        var client = await ScientistAsync();
        var name = $"lineage-{Guid.NewGuid():N}";
        var v1 = await UploadAsync(client, name, "x,y\n1,a\n2,b\n");
        var v2 = await UploadAsync(client, name, "x,y\n1,a\n2,b\n3,a\n");
        var other = await UploadAsync(client, $"other-{Guid.NewGuid():N}", "x,y\n5,a\n6,b\n");
        var experiment = $"by-dataset-{Guid.NewGuid():N}";
        var onV1 = await StartOnAsync(client, experiment, v1);
        var onOther = await StartOnAsync(client, experiment, other);
        var onV2 = await StartOnAsync(client, experiment, v2);

        var page = await ListAsync(client, $"datasetId={v1.Id}");

        Assert.Equal(v1.Id, v2.Id);
        Assert.Equal([onV2, onV1], Ids(page));
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        var dataset = page.GetProperty("items")[0].GetProperty("dataset");
        Assert.Equal(name, dataset.GetProperty("name").GetString());
        Assert.Equal(2, dataset.GetProperty("version").GetInt32());
        Assert.Equal(v1.Id, dataset.GetProperty("datasetId").GetGuid());
        Assert.Equal([onOther], Ids(await ListAsync(client, $"datasetId={other.Id}")));
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{onV1}");
        Assert.Equal(1, run.GetProperty("dataset").GetProperty("version").GetInt32()); // the run names what it trained on
    }

    [Fact]
    public async Task TheMetricFilterKeepsOnlyRunsRankedByThatMetricSoARangeNeverMixesTwoMetrics()
    {
        var client = await ScientistAsync();
        var (experimentId, runs) = await CreateRunsAsync(client, ("LightGbm", 0.80), ("LightGbm", 0.90));
        var multiclass = await client.PostAsJsonAsync("/api/runs", new { experiment = (await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runs[0]}")).GetProperty("experiment").GetString(), mode = "external", task = "multiclass", trainer = "LightGbm" });
        var multiclassId = (await multiclass.JsonAsync()).GetProperty("runId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{multiclassId}/log-batch", new { metrics = new[] { new { key = "macroAccuracy", value = 0.85, step = 1 } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{multiclassId}/end", new { status = "Succeeded" })).StatusCode);

        var auc = await ListAsync(client, $"experimentId={experimentId}&metric=areaUnderRocCurve&metricMin=0.82");
        var accuracy = await ListAsync(client, $"experimentId={experimentId}&metric=macroAccuracy");

        Assert.Equal([runs[1]], Ids(auc));
        Assert.Equal([multiclassId], Ids(accuracy));
    }

    private static async Task<(Guid Id, int Version)> UploadAsync(HttpClient client, string name, string csv)
    {
        var response = await client.UploadCsvAsync(name, csv);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        return (body.GetProperty("datasetId").GetGuid(), body.GetProperty("version").GetInt32());
    }

    private static async Task<Guid> StartOnAsync(HttpClient client, string experiment, (Guid Id, int Version) dataset)
    {
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment, mode = "external", task = "binary", trainer = "LightGbm", datasetId = dataset.Id, datasetVersion = dataset.Version });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("runId").GetGuid();
    }

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid())];

    private static async Task<JsonElement> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/runs?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>One run per (trainer, AUC) in a new experiment, oldest first; a run with no AUC is left running.</summary>
    private static async Task<(Guid ExperimentId, List<Guid> Runs)> CreateRunsAsync(HttpClient client, params (string Trainer, double? Auc)[] runs)
    {
        var experiment = $"list-{Guid.NewGuid():N}";
        var ids = new List<Guid>();
        foreach (var (trainer, auc) in runs)
        {
            var created = await client.PostAsJsonAsync("/api/runs", new { experiment, mode = "external", task = "binary", trainer });
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            var runId = (await created.JsonAsync()).GetProperty("runId").GetGuid();
            if (auc is { } value)
            {
                var logged = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics = new[] { new { key = "areaUnderRocCurve", value, step = 1 } } });
                Assert.Equal(HttpStatusCode.OK, logged.StatusCode);
                var ended = await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" });
                Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
            }

            ids.Add(runId);
        }

        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{ids[0]}");
        return (run.GetProperty("experimentId").GetGuid(), ids);
    }

    private async Task<HttpClient> ScientistAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(factory, token.Token);
    }
}
