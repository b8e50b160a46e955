using System.Net.Http.Json;
using System.Text.Json;
using System.Net;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Runs;
using Portal.Data.Live;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Runs.Live;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Live;

/// <summary>
/// The run page as live events move it, rendered with bUnit over the app's real <see cref="RunQueries"/> and
/// <see cref="LiveEventBus"/>: points, progress and log lines written by another process drawn without a reload, a resent
/// point not doubled, the end read back.
/// </summary>
public sealed class RunPageLiveTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public RunPageLiveTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<RunQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<RunCancellation>());
        Services.AddSingleton(factory.Services.GetRequiredService<LiveEventBus>());
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

        var cut = RenderPage<RunPage>((nameof(RunPage.RunId), runId));
        cut.WaitForAssertion(() => Assert.Equal("3 points over 3 steps", cut.Find("[data-testid=curve-points]").TextContent));

        // Another process writes step 2 again (what the page read) and step 3, new, with progress and a log line.
        await using (var db = factory.RemoteDb())
        {
            var run = await db.Runs.FirstAsync(r => r.Id == new RunId(runId));
            run.Report(0.5, "training");
            db.PublishRunChanged(run, DateTimeOffset.UtcNow, "epoch 3 done",
                [new MetricPoint("validation.logLoss", 0.5, 2), new MetricPoint("validation.logLoss", 0.45, 3)]);
            await db.SaveChangesAsync();
        }

        cut.WaitForAssertion(() => Assert.Equal("4 points over 4 steps", cut.Find("[data-testid=curve-points]").TextContent));
        Assert.Contains("50% · training", cut.Find("[data-testid=run-stage]").TextContent);
        Assert.Contains("epoch 3 done", cut.Find("[data-testid=run-log]").TextContent);

        // Ending the run (through the API) publishes its end: the page reads the finished run back.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" })).StatusCode);
        cut.WaitForAssertion(() => Assert.Equal("Succeeded", cut.Find("[data-testid=run-status]").TextContent.Trim()));
    }

    [Fact]
    public async Task AMetricLoggedAtSeveralStepsDrawsAsACurveWhateverItsNameAndOneLoggedOnceStaysAFinalMetric()
    {
        // As MLflow users log: "loss" (no dot) at steps 0, 1, 2, and "accuracy" once.
        var client = await ScientistAsync();
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment = "plain-names", mode = "external", task = "binary", trainer = "LightGbm" });
        var runId = (await created.JsonAsync()).GetProperty("runId").GetGuid();
        var metrics = new[]
        {
            new { key = "loss", value = 0.9, step = 0L },
            new { key = "loss", value = 0.6, step = 1L },
            new { key = "loss", value = 0.4, step = 2L },
            new { key = "accuracy", value = 0.81, step = 2L },
        };
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics })).StatusCode);

        var curves = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics?keys=loss");
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        var cut = RenderPage<RunPage>((nameof(RunPage.RunId), runId));

        Assert.Equal([0L, 1L, 2L], curves.GetProperty("loss").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal(0.4, run.GetProperty("metrics").GetProperty("loss").GetDouble());
        Assert.Equal(0.81, run.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        cut.WaitForAssertion(() => Assert.Equal("3 points over 3 steps", cut.Find("[data-testid=curve-points]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=curve-empty]"));
        var finalMetrics = cut.Find("[data-testid=run-metrics]").TextContent;
        Assert.Contains("Accuracy", finalMetrics); // by its display name
        Assert.DoesNotContain("loss", finalMetrics);
    }

    private async Task<HttpClient> ScientistAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(factory, token.Token);
    }
}
