using System.Net.Http.Json;
using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Security;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Queries;

/// <summary>
/// The compare page, rendered with bUnit over the real <see cref="RunQueries"/> and database of a running app:
/// metrics side by side with the best marked, parameter differences highlighted, curves overlaid.
/// </summary>
public sealed class RunComparePageTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public RunComparePageTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<RunQueries>());
        SignIn(DemoAccounts.Manager, Roles.BusinessManager);
    }

    [Fact]
    public async Task ThreeRunsShowMetricsWithTheBestMarkedParameterDifferencesHighlightedAndOverlaidCurves()
    {
        var client = await ScientistAsync();
        var a = await LogRunAsync(client, "LightGbm", auc: 0.91, logLoss: 0.30, ("numberOfIterations", "100"), ("learningRate", "0.1"));
        var b = await LogRunAsync(client, "LightGbm", auc: 0.87, logLoss: 0.25, ("numberOfIterations", "300"), ("learningRate", "0.1"));
        var c = await LogRunAsync(client, "FastTree", auc: 0.80, logLoss: 0.41, ("numberOfIterations", "100"), ("learningRate", "0.1"));

        var cut = RenderCompare($"{a},{b},{c}");
        cut.WaitForElement("[data-testid=compare-table]");

        var auc = Row(cut, "areaUnderRocCurve");
        Assert.Equal(["★ 0.91", "0.87", "0.8"], auc.Skip(1).Select(td => td.TextContent));
        Assert.Equal([true, false, false], auc.Skip(1).Select(td => td.ClassList.Contains("portal-best")));
        var loss = Row(cut, "logLoss");
        Assert.Equal([false, true, false], loss.Skip(1).Select(td => td.ClassList.Contains("portal-best"))); // lower is better
        Assert.Contains("lower is better", loss[0].TextContent);
        Assert.Contains("portal-diff", ParamRow(cut, "numberOfIterations").ClassList);
        Assert.StartsWith("≠ ", ParamRow(cut, "numberOfIterations").Children[0].TextContent);
        Assert.DoesNotContain("portal-diff", ParamRow(cut, "learningRate").ClassList);
        // The best mark and the difference mark are not the same, and the legend says what each means.
        Assert.Empty(cut.FindAll("[data-metric] td.portal-diff"));
        var legend = cut.Find("[data-testid=compare-legend]").TextContent;
        Assert.Contains("★ best value", legend);
        Assert.Contains("≠ parameter that differs", legend);
        Assert.Equal(3, cut.FindAll("[data-testid=curve-chart] polyline").Count);
        Assert.Contains("15 points over 5 steps", cut.Find("[data-testid=curve-points]").TextContent);
    }

    [Fact]
    public async Task LogLossReductionIsRankedHigherIsBetterByItsDefinitionNotByTheLossInItsName()
    {
        var client = await ScientistAsync();
        var worse = await LogRunAsync(client, "LightGbm", auc: 0.8, logLoss: 0.4, extra: ("logLossReduction", 0.73));
        var better = await LogRunAsync(client, "LightGbm", auc: 0.9, logLoss: 0.3, extra: ("logLossReduction", 0.99));
        var unknown = await LogRunAsync(client, "LightGbm", auc: 0.85, logLoss: 0.35, extra: ("my_loss", 0.5));

        var cut = RenderCompare($"{worse},{better},{unknown}");
        cut.WaitForElement("[data-testid=compare-table]");

        var reduction = Row(cut, "logLossReduction");
        Assert.Equal([false, true, false], reduction.Skip(1).Select(td => td.ClassList.Contains("portal-best")));
        Assert.Equal("★ 0.99", reduction[2].TextContent);
        Assert.Contains("Log-loss reduction", reduction[0].TextContent);
        Assert.Contains("higher is better", reduction[0].TextContent);
        // A metric nobody defined has no direction: nothing is marked best.
        Assert.DoesNotContain(Row(cut, "my_loss"), td => td.ClassList.Contains("portal-best"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public async Task FewerThanTwoOrMoreThanFiveRunsAskForTwoToFive(int count)
    {
        var client = await ScientistAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await LogRunAsync(client, "LightGbm", auc: 0.8, logLoss: 0.4));
        }

        var cut = RenderCompare(string.Join(',', ids));

        cut.WaitForAssertion(() => Assert.Contains("Choose two to five runs", cut.Markup));
        Assert.Empty(cut.FindAll("[data-testid=compare-table]"));
    }

    [Fact]
    public async Task AnIdThatIsNoRunIsNamedInsteadOfSilentlyLeftOut()
    {
        var client = await ScientistAsync();
        var a = await LogRunAsync(client, "LightGbm", auc: 0.8, logLoss: 0.4);
        var missing = Guid.NewGuid();

        var cut = RenderCompare($"{a},{missing}");

        cut.WaitForAssertion(() => Assert.Contains($"No run {missing}", cut.Markup));
        Assert.Empty(cut.FindAll("[data-testid=compare-table]"));
    }

    private IRenderedComponent<PageHost> RenderCompare(string ids)
    {
        // The page reads its runs from the address, as when a user opens a compare link.
        Services.GetRequiredService<NavigationManager>().NavigateTo($"runs/compare?ids={ids}");
        return RenderPage<RunComparePage>();
    }

    private static AngleSharp.Dom.IElement ParamRow(IRenderedComponent<PageHost> cut, string key) => cut.Find($"[data-testid=compare-table] tr[data-param='{key}']");

    private static List<AngleSharp.Dom.IElement> Row(IRenderedComponent<PageHost> cut, string key) => [.. cut.Find($"[data-testid=compare-table] tr[data-metric='{key}']").Children];

    /// <summary>An externally tracked run with a 5-step validation curve, its params and final metrics, ended Succeeded.</summary>
    private static async Task<Guid> LogRunAsync(HttpClient client, string trainer, double auc, double logLoss, params (string Key, string Value)[] parameters) =>
        await LogRunAsync(client, trainer, auc, logLoss, null, parameters);

    private static async Task<Guid> LogRunAsync(HttpClient client, string trainer, double auc, double logLoss, (string Key, double Value)? extra, params (string Key, string Value)[] parameters)
    {
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment = "compare", mode = "external", task = "binary", trainer });
        var runId = (await created.JsonAsync()).GetProperty("runId").GetGuid();
        var metrics = Enumerable.Range(0, 5).Select(s => new { key = "validation.logLoss", value = logLoss + (0.1 * (4 - s)), step = (long)s })
            .Append(new { key = "areaUnderRocCurve", value = auc, step = 4L })
            .Append(new { key = "logLoss", value = logLoss, step = 4L });
        if (extra is { } more)
        {
            metrics = metrics.Append(new { key = more.Key, value = more.Value, step = 4L });
        }

        var logged = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics, @params = parameters.Select(p => new { key = p.Key, value = p.Value }) });
        Assert.Equal(HttpStatusCode.OK, logged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" })).StatusCode);
        return runId;
    }

    private async Task<HttpClient> ScientistAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(factory, token.Token);
    }
}
