using System.Net;
using System.Text.Json;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Lineage;

/// <summary>The lineage API on SQLite.</summary>
public sealed class LineageApiTests(PortalAppFactory factory) : LineageApiTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>The lineage API on a private PostgreSQL server: the same edges recorded in the saving transaction, the same walk.</summary>
public sealed class PostgresLineageApiTests(PostgresAppFactory factory) : LineageApiTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>
/// <c>GET /api/lineage</c> over records made through the API: a run registered as a model version and requested for promotion,
/// walked up from the promotion; bad input answered 400 and an unknown node 404, each with its reason; a user without a role refused.
/// </summary>
public abstract class LineageApiTestsBase(PortalAppFactory factory)
{
    private readonly RegistryDriver driver = new(factory);

    [Fact]
    public async Task UpstreamOfAPromotionListsItsModelVersionAndRunWithWireNames()
    {
        var scientist = await driver.ScientistAsync();
        var model = await RegistryDriver.CreateModelAsync(scientist, "lineage");
        var runId = await RegistryDriver.SucceededRunAsync(scientist);
        var version = await RegistryDriver.RegisterAsync(scientist, model, runId);
        var requestId = await RegistryDriver.RequestAsync(scientist, model, version);

        var response = await (await driver.DpoAsync()).GetAsync($"/api/lineage?node=promotion:{requestId}&direction=up&depth=10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var nodes = body.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["promotion", "modelVersion", "run"], nodes.Select(n => n.GetProperty("kind").GetString()));
        Assert.Equal($"promotion:{requestId}", nodes[0].GetProperty("id").GetString());
        Assert.Equal($"run:{runId}", nodes[2].GetProperty("id").GetString());
        Assert.Equal($"{model} v{version} → Production (Evaluating)", nodes[0].GetProperty("label").GetString());
        Assert.All(nodes, n => Assert.False(n.GetProperty("personalData").GetBoolean()));
        Assert.Equal($"/runs/{runId}", nodes[2].GetProperty("url").GetString());
        var edges = body.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString(), e.GetProperty("kind").GetString())).ToList();
        Assert.Contains(($"run:{runId}", nodes[1].GetProperty("id").GetString(), "registered-as"), edges);
        Assert.Contains((nodes[1].GetProperty("id").GetString(), $"promotion:{requestId}", "approved-by"), edges);
        Assert.False(body.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("/api/lineage", "node is required")]
    [InlineData("/api/lineage?node=model:1", "is not a node kind")]
    [InlineData("/api/lineage?node=run", "<kind>:<id>")]
    [InlineData("/api/lineage?node=run:0193a000-0000-7000-8000-000000000001&depth=11", "depth is 1 to 10")]
    [InlineData("/api/lineage?node=run:0193a000-0000-7000-8000-000000000001&depth=0", "depth is 1 to 10")]
    [InlineData("/api/lineage?node=run:0193a000-0000-7000-8000-000000000001&direction=sideways", "direction is up, down or both")]
    public async Task BadInputIsRefusedWithTheReason(string url, string reason)
    {
        var response = await (await driver.ScientistAsync()).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownNodeIsNotFoundWithTheReason()
    {
        var response = await (await driver.ManagerAsync()).GetAsync($"/api/lineage?node=datasetVersion:{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no datasetVersion", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserWithoutARoleMayNotReadLineage()
    {
        var email = await driver.NewUserAsync("no-role");
        var client = await driver.ClientAsync(email);

        var response = await client.GetAsync($"/api/lineage?node=run:{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(JsonValueKind.Object, (await response.JsonAsync()).ValueKind);
        Assert.False(AuthorizationMatrix.IsAllowed(Policies.ReadLineage, []));
    }
}
