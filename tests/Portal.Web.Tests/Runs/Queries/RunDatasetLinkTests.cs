using System.Net;
using System.Net.Http.Json;
using Bunit;
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

    private static async Task<Guid> StartOnAsync(HttpClient client, Guid datasetId, int version)
    {
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment = "lineage-links", mode = "external", task = "binary", trainer = "LightGbm", datasetId, datasetVersion = version });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("runId").GetGuid();
    }

    private async Task<HttpClient> ScientistAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(factory, token.Token);
    }
}
