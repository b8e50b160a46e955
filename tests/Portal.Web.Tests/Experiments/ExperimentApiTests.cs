using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Experiments;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Experiments;

/// <summary>Experiments on SQLite.</summary>
public sealed class ExperimentApiTests(PortalAppFactory factory) : ExperimentApiTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>Experiments on a private PostgreSQL server: its string matching and the unique name index differ from SQLite's.</summary>
public sealed class PostgresExperimentApiTests(PostgresAppFactory factory) : ExperimentApiTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>
/// <c>/api/experiments</c>: an experiment has a name, a description and an owner; its list shows how its runs stand;
/// only its owner rewords it, and each creation and rewording is audited.
/// </summary>
public abstract class ExperimentApiTestsBase(PortalAppFactory factory)
{
    [Fact]
    public async Task CreatedExperimentIsOwnedByItsCreatorAndListedWithHowItsRunsStand()
    {
        var client = await ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var name = Unique("churn");

        var created = await client.PostAsJsonAsync("/api/experiments", new { name, description = "Which customers leave within 90 days? Feeds the retention budget." });
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var running = await StartExternalRunAsync(client, name);
        var ended = await StartExternalRunAsync(client, name);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{ended}/end", new { status = "Succeeded" })).StatusCode);
        var one = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
        var found = await client.GetFromJsonAsync<JsonElement>("/api/experiments?search=RETENTION%20budget");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/experiments/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(DemoAccounts.Scientist, one.GetProperty("owner").GetString());
        Assert.Equal(2, one.GetProperty("runs").GetInt32());
        Assert.Equal(1, one.GetProperty("activeRuns").GetInt32());
        Assert.Equal(1, one.GetProperty("succeededRuns").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, one.GetProperty("lastRunUtc").ValueKind);
        Assert.Equal([id], Ids(found));
        Assert.NotEqual(Guid.Empty, running);
    }

    [Theory]
    [InlineData("", "some words", HttpStatusCode.BadRequest, "name is required")]
    [InlineData("taken", "some words", HttpStatusCode.Conflict, "exists already")]
    [InlineData("fresh", "x", HttpStatusCode.BadRequest, "description is at most 2000 characters")]
    public async Task RefusedCreationSaysWhyAndStoresNothing(string name, string description, HttpStatusCode expected, string reason)
    {
        var client = await ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var taken = Unique("taken");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/experiments", new { name = taken, description = "first" })).StatusCode);
        var attempted = name switch { "taken" => taken, "fresh" => Unique("fresh"), _ => name };
        var words = description == "x" ? new string('x', 2001) : description;
        var before = await CountsAsync();

        var response = await client.PostAsJsonAsync("/api/experiments", new { name = attempted, description = words });

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(reason, (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task OnlyTheOwnerRewordsTheDescriptionAndEachChangeIsAudited()
    {
        var owner = await ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var colleague = await ClientAsync("scientist2@portal.local", ApiScopes.Read, ApiScopes.Write);
        var id = (await (await owner.PostAsJsonAsync("/api/experiments", new { name = Unique("fraud"), description = "first words" })).JsonAsync()).GetProperty("id").GetGuid();

        var refused = await colleague.PutAsJsonAsync($"/api/experiments/{id}/description", new { description = "hijacked" });
        var accepted = await owner.PutAsJsonAsync($"/api/experiments/{id}/description", new { description = "  better words  " });
        var missing = await owner.PutAsJsonAsync($"/api/experiments/{Guid.NewGuid()}/description", new { description = "anything" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Only the experiment's owner", (await refused.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("better words", (await accepted.JsonAsync()).GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await using var db = await DbAsync();
        var trail = await db.AuditEntries.Where(a => a.SubjectId == id.ToString()).OrderBy(a => a.Sequence).Select(a => new { a.Action, a.DetailsJson }).ToListAsync();
        Assert.Equal([AuditActions.ExperimentCreated.Name, AuditActions.ExperimentDescribed.Name], trail.Select(a => a.Action));
        Assert.Contains("\"before\":\"first words\"", trail[1].DetailsJson);
        Assert.Contains("\"after\":\"better words\"", trail[1].DetailsJson);
    }

    [Fact]
    public async Task ReadersListButOnlyScientistsCreate()
    {
        var manager = await ClientAsync(DemoAccounts.Manager, ApiScopes.Read, ApiScopes.Write);

        var list = await manager.GetAsync("/api/experiments");
        var create = await manager.PostAsJsonAsync("/api/experiments", new { name = Unique("manager"), description = "" });

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    [Fact]
    public async Task RunSubmittedUnderANewNameCreatesTheExperimentOwnedByTheSubmitterInTheSameAuditedChange()
    {
        var client = await ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var name = Unique("implicit");

        var runId = await StartExternalRunAsync(client, name);
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        var experimentId = run.GetProperty("experimentId").GetGuid();
        var experiment = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{experimentId}");

        Assert.Equal(name, experiment.GetProperty("name").GetString());
        Assert.Equal(DemoAccounts.Scientist, experiment.GetProperty("owner").GetString());
        await using var db = await DbAsync();
        Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditActions.ExperimentCreated.Name && a.SubjectId == experimentId.ToString()).ToListAsync());
    }

    [Fact]
    public async Task ParallelSubmissionsUnderOneNewNameAllLandInOneExperiment()
    {
        var client = await ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var name = Unique("sweep");

        // A sweep: its runs submitted at once, each reading "no such experiment" before any of them is saved.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.PostAsJsonAsync("/api/runs", new { experiment = name, mode = "external", task = "binary", trainer = "LightGbm" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var found = await client.GetFromJsonAsync<JsonElement>($"/api/experiments?search={name}");
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal(8, found.GetProperty("items")[0].GetProperty("runs").GetInt32());
        var id = found.GetProperty("items")[0].GetProperty("id").GetGuid().ToString();
        await using var db = await DbAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.ExperimentCreated.Name && a.SubjectId == id));
    }

    [Fact]
    public async Task PagesSortByNameAndBadSortKeysAreRefused()
    {
        var client = await ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var prefix = Unique("sorted");
        var ids = new Dictionary<string, Guid>();
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            ids[suffix] = (await (await client.PostAsJsonAsync("/api/experiments", new { name = $"{prefix}-{suffix}", description = "" })).JsonAsync()).GetProperty("id").GetGuid();
        }

        var first = await client.GetFromJsonAsync<JsonElement>($"/api/experiments?search={prefix}&sortBy=name&descending=false&pageSize=2");
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/experiments?search={prefix}&sortBy=name&descending=false&pageSize=2&page=1");
        var bad = await client.GetAsync("/api/experiments?sortBy=colour");

        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal([ids["a"], ids["b"]], Ids(first));
        Assert.Equal([ids["c"]], Ids(second));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("sortBy must be one of lastRun, name, created, runs", (await bad.JsonAsync()).GetProperty("detail").GetString());
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid())];

    private static async Task<Guid> StartExternalRunAsync(HttpClient client, string experiment)
    {
        var response = await client.PostAsJsonAsync("/api/runs", new { experiment, mode = "external", task = "binary", trainer = "LightGbm" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("runId").GetGuid();
    }

    private async Task<(int Experiments, int AuditEntries)> CountsAsync()
    {
        await using var db = await DbAsync();
        return (await db.Experiments.CountAsync(), await db.AuditEntries.CountAsync(a => a.Action == AuditActions.ExperimentCreated.Name));
    }

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private async Task<HttpClient> ClientAsync(string email, params string[] scopes) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, scopes)).Token);
}
