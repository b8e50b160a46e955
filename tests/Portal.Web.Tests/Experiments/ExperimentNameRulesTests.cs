using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Tokens;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Experiments;

/// <summary>The text rule and case-insensitive experiment names on SQLite.</summary>
public sealed class ExperimentNameRulesTests(PortalAppFactory factory) : ExperimentNameRulesTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>The same on a private PostgreSQL server, whose unique index and string comparison differ from SQLite's.</summary>
public sealed class PostgresExperimentNameRulesTests(PostgresAppFactory factory) : ExperimentNameRulesTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>
/// Every entry point that stores a name or free text refuses hostile characters with 400 naming the field, and stores
/// nothing; experiment names are one experiment whatever their case, enforced by the database under parallel creation.
/// </summary>
public abstract class ExperimentNameRulesTestsBase(PortalAppFactory factory)
{
    public static TheoryData<string> Hostile() => new() { "churn\0model", "\u001b[31mchurn", "invoice\u202Etxt", "\u2066churn\u2069", "ch\u200Burn" };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task EveryEntryPointRefusesHostileTextNamingTheFieldAndStoresNothing(string hostile)
    {
        var scientist = await ClientAsync(DemoAccounts.Scientist);
        var admin = await ClientAsync(DemoAccounts.Admin);
        var mine = (await (await scientist.PostAsJsonAsync("/api/experiments", new { name = Unique("text"), description = "" })).JsonAsync()).GetProperty("id").GetGuid();
        var before = await CountsAsync();
        // ZWSP is fine in prose (descriptions), not in a name.
        var inProse = hostile.Contains('\u200B') ? null : hostile;

        var answers = new List<(string Field, HttpResponseMessage Response)>
        {
            ("name", await scientist.PostAsJsonAsync("/api/experiments", new { name = hostile, description = "" })),
            ("experiment", await scientist.PostAsJsonAsync("/api/runs", new { experiment = hostile, mode = "external" })),
            ("name", await scientist.UploadCsvAsync(hostile, "a,b\n1,2\n")),
            ("displayName", await admin.PostAsJsonAsync("/api/users", new { email = $"{Guid.NewGuid():N}@example.com", displayName = hostile, password = "Correct-horse-battery-9", roles = new[] { Roles.DataScientist } })),
        };
        if (inProse is not null)
        {
            answers.Add(("description", await scientist.PostAsJsonAsync("/api/experiments", new { name = Unique("prose"), description = inProse })));
            answers.Add(("description", await scientist.PutAsJsonAsync($"/api/experiments/{mine}/description", new { description = inProse })));
        }

        foreach (var (field, response) in answers)
        {
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} for {field}");
            Assert.StartsWith($"{field} ", (await response.JsonAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal(before, await CountsAsync());
        await using var db = await DbAsync();
        var userId = await db.Users.Where(u => u.Email == DemoAccounts.Scientist).Select(u => u.Id).FirstAsync();
        var token = await factory.Services.GetRequiredService<TokenService>()
            .CreateAsync(userId, new CreateTokenRequest(hostile, [ApiScopes.Read], 7), AuditActor.User(userId, DemoAccounts.Scientist), CancellationToken.None);
        Assert.False(token.Succeeded);
        Assert.Contains("name ", token.Error);
    }

    [Fact]
    public async Task NamesDifferingOnlyInCaseCreatedInParallelMakeExactlyOneExperiment()
    {
        var scientist = await ClientAsync(DemoAccounts.Scientist);
        var colleague = await ClientAsync("scientist2@portal.local");
        var name = Unique("Churn");

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? scientist : colleague).PostAsJsonAsync("/api/experiments", new { name = i % 2 == 0 ? name : name.ToLowerInvariant(), description = "" })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        await using var db = await DbAsync();
        var lower = name.ToLowerInvariant();
        Assert.Equal(1, await db.Experiments.CountAsync(e => e.Name == name || e.Name == lower));
    }

    [Fact]
    public async Task ANameTakenInAnotherCaseIsRefusedSayingWhichAndARunJoinsTheExistingExperiment()
    {
        var scientist = await ClientAsync(DemoAccounts.Scientist);
        var name = Unique("Fraud");
        var created = await scientist.PostAsJsonAsync("/api/experiments", new { name, description = "" });
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();

        var again = await scientist.PostAsJsonAsync("/api/experiments", new { name = name.ToUpperInvariant(), description = "" });
        var run = await scientist.PostAsJsonAsync("/api/runs", new { experiment = $" {name.ToLowerInvariant()} ", mode = "external" });
        var runId = (await run.JsonAsync()).GetProperty("runId").GetGuid();
        var stored = await scientist.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"An experiment named '{name}' exists already, and names are compared ignoring case", (await again.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(id, stored.GetProperty("experimentId").GetGuid());
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private async Task<(int Experiments, int Datasets, int Users, int Runs, int Audit)> CountsAsync()
    {
        await using var db = await DbAsync();
        return (await db.Experiments.CountAsync(), await db.Datasets.CountAsync(), await db.Users.CountAsync(), await db.Runs.CountAsync(), await db.AuditEntries.CountAsync());
    }

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private async Task<HttpClient> ClientAsync(string email) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read, ApiScopes.Write)).Token);
}
