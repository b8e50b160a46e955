using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Runs;
using Portal.Data.Live;
using Portal.Domain.Datasets;
using Portal.Domain.Security;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Runs.Live;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Queries;

/// <summary>Runs and the data they trained on link both ways: run page → dataset version, dataset page → its runs.</summary>
public sealed class RunDatasetLinkTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public RunDatasetLinkTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<RunQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<RunCancellation>());
        Services.AddSingleton(factory.Services.GetRequiredService<LiveEventBus>());
        Services.AddSingleton(factory.Services.GetRequiredService<Portal.Web.Features.Experiments.ExperimentService>());
        SignIn(DemoAccounts.Manager, Roles.BusinessManager);
    }

    [Fact]
    public async Task TheRunPageNamesTheDatasetAndVersionItTrainedOnAndLinksToThatVersion()
    {
        var client = await ScientistAsync();
        var name = $"penguins-{Guid.NewGuid():N}";
        var (datasetId, _) = await UploadAsync(client, name, "bill,species\n1,a\n2,b\n");
        var (_, version) = await UploadAsync(client, name, "bill,species\n1,a\n2,b\n3,a\n");
        var runId = await StartOnAsync(client, datasetId, version);

        var cut = RenderPage<RunPage>((nameof(RunPage.RunId), runId));

        cut.WaitForAssertion(() => Assert.Equal($"{name} v2", cut.Find("[data-testid=run-dataset-link]").TextContent));
        Assert.Equal($"datasets/{datasetId}?version=2", cut.Find("[data-testid=run-dataset-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task TheDatasetPageListsTheRunsTrainedOnItWithStatusAndALinkToEach()
    {
        var client = await ScientistAsync();
        var (datasetId, version) = await UploadAsync(client, $"runs-of-{Guid.NewGuid():N}", "x,y\n1,a\n2,b\n");
        var (otherId, otherVersion) = await UploadAsync(client, $"unrelated-{Guid.NewGuid():N}", "x,y\n7,a\n8,b\n");
        var first = await StartOnAsync(client, datasetId, version);
        var second = await StartOnAsync(client, datasetId, version);
        await StartOnAsync(client, otherId, otherVersion);

        var cut = Render<DatasetRunsList>(p => p.Add(c => c.DatasetId, new DatasetId(datasetId)));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=dataset-run-link]").Count));
        Assert.Equal([$"runs/{second}", $"runs/{first}"], cut.FindAll("[data-testid=dataset-run-link]").Select(a => a.GetAttribute("href")));
        Assert.Contains("Running", cut.Find("[data-testid=dataset-runs-table]").TextContent);
    }

    [Fact]
    public async Task TheRunListShowsEachRunsDatasetAsALinkAndNamesTheMetricOfEveryValue()
    {
        var client = await ScientistAsync();
        var name = $"listed-{Guid.NewGuid():N}";
        var (datasetId, version) = await UploadAsync(client, name, "x,y\n1,a\n2,b\n");
        var experiment = $"list-links-{Guid.NewGuid():N}";
        var runId = await StartOnAsync(client, datasetId, version, experiment);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics = new[] { new { key = "areaUnderRocCurve", value = 0.91, step = 1 } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" })).StatusCode);
        var experimentId = (await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/runs/{runId}")).GetProperty("experimentId").GetGuid();

        Services.GetRequiredService<NavigationManager>().NavigateTo($"runs?experiment={experimentId}");
        var cut = RenderPage<RunsPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=row-dataset-link]")), TimeSpan.FromSeconds(5));
        Assert.Equal($"datasets/{datasetId}?version={version}", cut.Find("[data-testid=row-dataset-link]").GetAttribute("href"));
        Assert.Equal($"{name} v{version}", cut.Find("[data-testid=row-dataset-link]").TextContent);
        Assert.Equal("Primary metric", cut.Find("[data-testid=metric-header]").TextContent);
        Assert.Equal("AUC (ROC) 0.91", cut.Find("[data-testid=runs-table] tbody td[data-label='Primary metric']").TextContent);
        // A value range means nothing until the metric it is on is chosen.
        var min = cut.Find("[data-testid=metric-min]");
        Assert.True((min.TagName == "INPUT" ? min : min.QuerySelector("input")!).HasAttribute("disabled"));
    }

    [Fact]
    public async Task ADatasetNoRunTrainedOnSaysSo()
    {
        var client = await ScientistAsync();
        var (datasetId, _) = await UploadAsync(client, $"unused-{Guid.NewGuid():N}", "x,y\n1,a\n2,b\n");

        var cut = Render<DatasetRunsList>(p => p.Add(c => c.DatasetId, new DatasetId(datasetId)));

        cut.WaitForAssertion(() => Assert.Contains("No run has been trained on this dataset yet.", cut.Find("[data-testid=dataset-runs-empty]").TextContent));
    }

    private static async Task<(Guid Id, int Version)> UploadAsync(HttpClient client, string name, string csv)
    {
        var response = await client.UploadCsvAsync(name, csv);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        return (body.GetProperty("datasetId").GetGuid(), body.GetProperty("version").GetInt32());
    }

    private static async Task<Guid> StartOnAsync(HttpClient client, Guid datasetId, int version, string experiment = "lineage-links")
    {
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment, mode = "external", task = "binary", trainer = "LightGbm", datasetId, datasetVersion = version });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("runId").GetGuid();
    }

    private async Task<HttpClient> ScientistAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(factory, token.Token);
    }
}
