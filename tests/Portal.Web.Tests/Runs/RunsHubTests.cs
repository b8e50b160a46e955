using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Runs;
using Portal.Web.Features.Users;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs;

/// <summary>External subscribers of <c>/hubs/runs</c>: a run's curve and end reach them live; only readers get in.</summary>
public sealed class RunsHubTests(TrainingAppFactory factory) : IClassFixture<TrainingAppFactory>
{
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ReadOnlyTokenSubscriberReceivesTheCurveWhileTheRunTrainsThenItsEndAndMissesNoPoint()
    {
        var (client, dataset) = await ScientistWithLoansAsync();
        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read);
        await using var subscriber = await RunsHubSubscriber.ConnectAsync(factory, reader.Token);

        var runId = await SubmitAsync(client, dataset, new { numberOfIterations = 200 });
        await subscriber.SubscribeAsync(runId);
        var end = await subscriber.WaitForStatusAsync(TrainingTimeout, "Succeeded", "Failed", "Cancelled");
        var stored = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics?keys=train.logLoss,validation.logLoss");

        Assert.Equal("Succeeded", end.Status);
        Assert.Contains(subscriber.Updates, u => u.Status == "Running" && u.Points.Any(p => p.Key == "validation.logLoss"));
        var received = subscriber.MergedCurves();
        foreach (var key in new[] { "train.logLoss", "validation.logLoss" })
        {
            var expected = stored.GetProperty(key).EnumerateArray().Select(p => (p.GetProperty("step").GetInt64(), p.GetProperty("value").GetDouble())).ToList();
            Assert.Equal(201, expected.Count);
            Assert.Equal(expected, received[key]);
        }
    }

    [Fact]
    public async Task SubscribingAfterTheRunEndedReturnsItsWholeCurveInTheSnapshot()
    {
        var (client, dataset) = await ScientistWithLoansAsync();
        var runId = await SubmitAsync(client, dataset, new { numberOfIterations = 20 });
        await client.WaitForRunAsync(runId, TrainingTimeout);
        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Dpo, ApiScopes.Read);
        await using var subscriber = await RunsHubSubscriber.ConnectAsync(factory, reader.Token);

        await subscriber.SubscribeAsync(runId);

        Assert.Equal("Succeeded", subscriber.Snapshot!.Status);
        Assert.Equal(21, subscriber.Snapshot.Points.Count(p => p.Key == "validation.logLoss"));
        Assert.Contains(subscriber.Snapshot.Points, p => p.Key == "areaUnderRocCurve");
    }

    [Fact]
    public async Task SubscribingToAnUnknownRunFailsWithTheReason()
    {
        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read);
        await using var subscriber = await RunsHubSubscriber.ConnectAsync(factory, reader.Token);
        var unknown = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<HubException>(() => subscriber.SubscribeAsync(unknown));

        Assert.Contains($"Run {unknown} does not exist", error.Message);
    }

    [Fact]
    public async Task HubRefusesNoTokenATokenWithoutReadScopeAndATokenWhoseUserMayNotReadRuns()
    {
        var predictOnly = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Predict);
        var admin = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Admin, ApiScopes.Read);

        var anonymous = await Assert.ThrowsAsync<HttpRequestException>(() => RunsHubSubscriber.Connection(factory, null).StartAsync());
        var noScope = await Assert.ThrowsAsync<HttpRequestException>(() => RunsHubSubscriber.Connection(factory, predictOnly.Token).StartAsync());
        var noRole = await Assert.ThrowsAsync<HttpRequestException>(() => RunsHubSubscriber.Connection(factory, admin.Token).StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);
        using var raw = TokenFactory.ClientWith(factory, predictOnly.Token);
        var refused = await raw.PostAsync("/hubs/runs/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("lacks the 'read' scope", (await refused.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RevokedTokensConnectionIsClosedWithinTheRevalidationIntervalAndCannotReconnect()
    {
        await using var quick = new QuickRevalidationFactory();
        var token = await TokenFactory.CreateAsync(quick.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        await using var connection = RunsHubSubscriber.Connection(quick, token.Token);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        await connection.StartAsync();

        var revoke = await TokenFactory.ClientWith(quick, token.Token).DeleteAsync($"/api/tokens/{token.Id}");
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => RunsHubSubscriber.Connection(quick, token.Token).StartAsync());

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task SignedInUsersCookieConnectionStaysOpenWhileValidAndIsClosedOnceTheyAreLockedOut()
    {
        await using var quick = new QuickRevalidationFactory();
        var users = quick.Services.GetRequiredService<UserAdministrationService>();
        var email = $"hub-{Guid.NewGuid():N}@portal.local";
        var created = await users.CreateAsync(new CreateUserRequest(email, null, "Long-enough-pass-1", [Roles.BusinessManager]), AuditActor.Service("test"), CancellationToken.None);
        var cookies = new CookieContainer();
        using var browser = quick.CreateDefaultClient(new CookieContainerHandler(cookies));
        var signIn = await BrowserSession.PostLoginAsync(browser, email, "Long-enough-pass-1");
        await using var connection = RunsHubSubscriber.CookieConnection(quick, cookies);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        await connection.StartAsync();

        // Two re-checks (every 5 s) pass while the user is in good standing: the connection stays open and usable.
        var early = await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(11)));
        var unknown = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<RunSnapshotMessage>(nameof(RunsHub.SubscribeToRun), Guid.NewGuid()));
        var locked = await users.LockAsync(created.Value!.Id, AuditActor.Service("test"), CancellationToken.None);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.NotSame(closed.Task, early);
        Assert.Contains("does not exist", unknown.Message);
        Assert.True(locked.Succeeded);
    }

    [Fact]
    public async Task BrowserClientsMayPassTheTokenAsAccessTokenOnTheHubPathOnly()
    {
        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read);
        using var client = BrowserSession.NewClient(factory);

        var withQuery = await client.PostAsync($"/hubs/runs/negotiate?negotiateVersion=1&access_token={reader.Token}", null);
        var without = await client.PostAsync("/hubs/runs/negotiate?negotiateVersion=1", null);
        var onTheApi = await client.GetAsync($"/api/runs?access_token={reader.Token}");

        Assert.Equal(HttpStatusCode.OK, withQuery.StatusCode);
        Assert.Contains("connectionToken", await withQuery.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, onTheApi.StatusCode);
    }

    /// <summary>The portal re-checking sessions every 5 s (the least it allows) instead of 30.</summary>
    public sealed class QuickRevalidationFactory : PortalAppFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:RevalidationSeconds", "5");
        }
    }

    private static Task<Guid> SubmitAsync(HttpClient client, (Guid Id, int Version) dataset, object hyperparameters) =>
        client.SubmitLoanRunAsync(dataset, "hub-subscribers", "LightGbm", hyperparameters);

    private async Task<(HttpClient, (Guid, int))> ScientistWithLoansAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);
        return (client, await client.UploadLoansAsync("loans-hub", rows: 5000, seed: 19));
    }
}
