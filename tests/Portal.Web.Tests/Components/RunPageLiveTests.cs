using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Runs;
using Portal.Web.Tests.Infrastructure;
using Portal.Application.Live;

namespace Portal.Web.Tests.Components;

/// <summary>
/// The run page as the live feed moves it, rendered with bUnit over the app's real <see cref="RunService"/> and
/// <see cref="RunFeed"/>: points, progress and log lines drawn without a reload, a resent point not doubled, the end read back.
/// </summary>
public sealed class RunPageLiveTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public RunPageLiveTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<RunService>());
        Services.AddSingleton(factory.Services.GetRequiredService<RunFeed>());
        SignIn(DemoAccounts.Manager, Roles.BusinessManager);
    }

    [Fact]
    public async Task FeedUpdatesGrowTheCurveWithoutDoublingAResentPointAndTheEndIsReadBack()
    {
        var client = await ScientistAsync();
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment = "live-page", mode = "external", task = "binary", trainer = "LightGbm" });
        var runId = (await created.JsonAsync()).GetProperty("runId").GetGuid();
        var first = Enumerable.Range(0, 3).Select(s => new { key = "validation.logLoss", value = 0.7 - (0.1 * s), step = (long)s });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics = first })).StatusCode);
        var feed = factory.Services.GetRequiredService<RunFeed>();

        var cut = RenderPage<RunPage>((nameof(RunPage.RunId), runId));
        cut.WaitForAssertion(() => Assert.Equal("3 points over 3 steps", cut.Find("[data-testid=curve-points]").TextContent));

        // Step 2 again (a relay resending what the page read) and step 3, new.
        await feed.PublishAsync(new RunUpdate(runId, RunStatus.Running, 0.5, "training",
            [new MetricPoint("validation.logLoss", 0.5, 2), new MetricPoint("validation.logLoss", 0.45, 3)], "epoch 3 done"));

        cut.WaitForAssertion(() => Assert.Equal("4 points over 4 steps", cut.Find("[data-testid=curve-points]").TextContent));
        Assert.Contains("50% · training", cut.Find("[data-testid=run-stage]").TextContent);
        Assert.Contains("epoch 3 done", cut.Find("[data-testid=run-log]").TextContent);

        // Ending the run publishes on the same feed: the page reads the finished run back.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" })).StatusCode);
        cut.WaitForAssertion(() => Assert.Equal("Succeeded", cut.Find("[data-testid=run-status]").TextContent.Trim()));
    }

    private async Task<HttpClient> ScientistAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(factory, token.Token);
    }
}
