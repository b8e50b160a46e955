using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs;

/// <summary>
/// One ownership rule for every change to a run (<see cref="RunOwnership"/>), through the API, on a managed and an
/// external run: a peer data scientist is refused 403 saying who may (and the attempt audited), business managers and
/// DPOs are refused, an Administrator may cancel anyone's run (audited under the administrator, saying whose run it was)
/// but not write into it, and an unknown run is 404.
/// </summary>
public sealed class RunOwnershipApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    public static TheoryData<string, bool> ActionsOnBothModes()
    {
        var data = new TheoryData<string, bool>();
        foreach (var action in new[] { "cancel", "log-batch", "artifact", "end" })
        {
            data.Add(action, true);
            data.Add(action, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActionsOnBothModes))]
    public async Task APeerDataScientistIsRefused403SayingWhoMayAndTheRunStaysAsItWas(string action, bool external)
    {
        var owner = await ClientAsync(DemoAccounts.Scientist);
        var peer = await ClientAsync("scientist2@portal.local");
        var runId = external ? await StartExternalAsync(owner) : await SubmitManagedAsync(owner);
        var before = await StatusAsync(runId);

        using var response = await SendAsync(peer, action, runId);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.StartsWith("Only the run's submitter", detail);
        Assert.Contains(DemoAccounts.Scientist, detail);
        Assert.Equal(before, await StatusAsync(runId));
        await using var db = await DbAsync();
        var subject = runId.ToString();
        var refused = await db.AuditEntries.Where(a => a.Action == AuditActions.RunChangeRefused.Name && a.SubjectId == subject).ToListAsync();
        Assert.Single(refused);
        Assert.Equal("scientist2@portal.local", refused[0].ActorName);
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.RunCancelled.Name && a.SubjectId == subject));
        Assert.Equal(0, await db.RunMetrics.CountAsync(m => m.RunId == new RunId(runId)));
        Assert.Null((await db.Runs.AsNoTracking().FirstAsync(r => r.Id == new RunId(runId))).ModelSha256);
    }

    [Theory]
    [MemberData(nameof(ActionsOnBothModes))]
    public async Task AnUnknownRunIs404ForEveryAction(string action, bool external)
    {
        _ = external;
        var client = await ClientAsync(DemoAccounts.Scientist);

        using var response = await SendAsync(client, action, Guid.NewGuid());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No such run.", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnAdministratorCancelsAnyonesRunAndTheAuditSaysWhoseItWas(bool external)
    {
        var owner = await ClientAsync(DemoAccounts.Scientist);
        var admin = await ClientAsync(DemoAccounts.Admin);
        var runId = external ? await StartExternalAsync(owner) : await SubmitManagedAsync(owner);

        using var response = await admin.PostAsync($"/api/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Cancelled", (await response.JsonAsync()).GetProperty("status").GetString());
        await using var db = await DbAsync();
        var subject = runId.ToString();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.RunCancelled.Name && a.SubjectId == subject);
        Assert.Equal(DemoAccounts.Admin, entry.ActorName);
        Assert.Contains($"\"submittedBy\":\"{DemoAccounts.Scientist}\"", entry.DetailsJson);
        Assert.Contains("\"cancelledAs\":\"Administrator\"", entry.DetailsJson);
    }

    [Theory]
    [InlineData("log-batch")]
    [InlineData("artifact")]
    [InlineData("end")]
    public async Task AnAdministratorMayNotWriteIntoSomeonesRun(string action)
    {
        var owner = await ClientAsync(DemoAccounts.Scientist);
        var admin = await ClientAsync(DemoAccounts.Admin);
        var runId = await StartExternalAsync(owner);

        using var response = await SendAsync(admin, action, runId);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Running", await StatusAsync(runId));
    }

    [Theory]
    [InlineData(DemoAccounts.Manager)]
    [InlineData(DemoAccounts.Dpo)]
    public async Task ManagersAndDposMayNotCancel(string reader)
    {
        var owner = await ClientAsync(DemoAccounts.Scientist);
        var client = await ClientAsync(reader, ApiScopes.Read, ApiScopes.Write);
        var runId = await StartExternalAsync(owner);

        using var response = await client.PostAsync($"/api/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Running", await StatusAsync(runId));
    }

    [Fact]
    public async Task TheSubmitterStillCancelsTheirOwnRunAndTheAuditSaysSo()
    {
        var owner = await ClientAsync(DemoAccounts.Scientist);
        var runId = await StartExternalAsync(owner);

        using var response = await owner.PostAsync($"/api/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await DbAsync();
        var subject = runId.ToString();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.RunCancelled.Name && a.SubjectId == subject);
        Assert.Equal(DemoAccounts.Scientist, entry.ActorName);
        Assert.Contains("\"cancelledAs\":\"submitter\"", entry.DetailsJson);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string action, Guid runId) => action switch
    {
        "cancel" => client.PostAsync($"/api/runs/{runId}/cancel", null),
        "log-batch" => client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics = new[] { new { key = "loss", value = 0.5, step = 0L } } }),
        "artifact" => client.PostAsync($"/api/runs/{runId}/artifact", Model()),
        _ => client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" }),
    };

    private static ByteArrayContent Model()
    {
        var content = new ByteArrayContent([1, 2, 3, 4]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private async Task<string> StatusAsync(Guid runId)
    {
        await using var db = await DbAsync();
        return (await db.Runs.AsNoTracking().FirstAsync(r => r.Id == new RunId(runId))).Status.ToString();
    }

    private async Task<HttpClient> ClientAsync(string email, params string[] scopes) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, scopes.Length == 0 ? [ApiScopes.Read, ApiScopes.Write] : scopes)).Token);

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private static async Task<Guid> StartExternalAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/runs", new { experiment = "ownership", mode = "external", task = "binary" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("runId").GetGuid();
    }

    private static async Task<Guid> SubmitManagedAsync(HttpClient client) =>
        await client.SubmitLoanRunAsync(await client.UploadLoansAsync("ownership-loans", rows: 300, seed: 5), "ownership", "FastTree");
}
