using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.Web.Features.Monitoring;
using Portal.Web.Features.Registry;
using Portal.Web.Tests.Components.Registry;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Monitoring;
using static Portal.Web.Tests.Monitoring.MonitoringData;

namespace Portal.Web.Tests.Components.Monitoring;

/// <summary>
/// The monitoring dashboard and the managers' production panel over a running app's database and live-event bus, with
/// windows and alerts written as the monitoring loop writes them (their own DbContext, the live event in the same save).
/// </summary>
public sealed class MonitoringPagesTests : RegistryComponentTestContext, IClassFixture<PortalAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly MonitoringData data;

    public MonitoringPagesTests(PortalAppFactory factory)
        : base(factory)
    {
        data = new MonitoringData(factory);
        Services.AddSingleton(factory.Services.GetRequiredService<MonitoringQueries>());
        Services.AddSingleton(TimeProvider.System);
    }

    [Fact]
    public void DriftedCellsOfTheHeatMapAreMarkedAndEachCellTellsItsTestStatisticPValueAndPsi()
    {
        MonitoringWindowView[] windows =
        [
            View(1, 0.85, [Numeric("income", 0.02, false), Categorical("region", 0.01, false)]),
            View(2, 0.80, [Numeric("income", 0.41, true, 0.32, 1e-7), Categorical("region", 0.26, true, 31.4, 0.0002)]),
        ];

        var cut = Render<DriftHeatMap>(p => p.Add(h => h.Windows, windows));

        var cells = cut.FindAll("[data-testid=heatmap-cell]");
        Assert.Equal(4, cells.Count);
        var drifted = cells.Where(c => c.GetAttribute("data-drifted") == "true").Select(c => (c.GetAttribute("data-feature"), c.GetAttribute("data-window"))).ToList();
        Assert.Equal([("income", windows[1].Id.ToString()), ("region", windows[1].Id.ToString())], drifted.Order());
        Assert.Equal(2, cut.FindAll("[data-testid=heatmap-drift-mark]").Count);
        var income = cells.Single(c => c.GetAttribute("data-feature") == "income" && c.GetAttribute("data-drifted") == "true");
        var tooltip = income.QuerySelector("title")!.TextContent;
        Assert.Contains("KS D = 0.32", tooltip);
        Assert.Contains("p = 1E-7", tooltip);
        Assert.Contains("PSI = 0.41", tooltip);
        Assert.Contains("drifted", tooltip);
        Assert.Contains("χ² = 31.4", cells.Single(c => c.GetAttribute("data-feature") == "region" && c.GetAttribute("data-drifted") == "true").QuerySelector("title")!.TextContent);
        // A larger PSI is a hotter colour: the drifted income cell is not the calm green of its first window.
        Assert.NotEqual(cells[0].GetAttribute("fill"), income.GetAttribute("fill"));
    }

    [Fact]
    public void ARollbackAlertInTheFeedLinksToItsRolloutInsteadOfAWindow()
    {
        var now = DateTimeOffset.UtcNow;
        var rollout = RolloutId.New(now);
        var alert = MonitoringAlert.RaiseForRollback(MonitoringAlertId.New(now), RegisteredModelId.New(now), ModelVersionId.New(now), 2, rollout,
            "Version 2 failed its rollout; version 1 stays the champion.", now);

        var cut = Render<AlertFeed>(p => p.Add(f => f.ModelName, "churn").Add(f => f.Alerts, [MonitoringAlertView.From(alert)]));

        Assert.Contains("Rollout rolled back", cut.Find("[data-testid=alert-row]").TextContent);
        var link = cut.Find("[data-testid=alert-window-link]");
        Assert.Equal($"rollouts/{rollout}", link.GetAttribute("href"));
        Assert.Equal("show the rollout", link.TextContent.Trim());
    }

    [Fact]
    public void TheAccuracyChartDrawsAPointPerLabelledWindowLowerWhenWorseAndTheValidationReference()
    {
        MonitoringWindowView[] windows = [View(1, 0.90, []), View(2, null, []), View(3, 0.70, [])];

        var cut = Render<LiveMetricChart>(p => p.Add(c => c.Windows, windows).Add(c => c.Validation, 0.86));

        var points = cut.FindAll("[data-testid=metric-point]");
        Assert.Equal([windows[0].Id.ToString(), windows[2].Id.ToString()], points.Select(p => p.GetAttribute("data-window")));
        Assert.Equal(["0.9", "0.7"], points.Select(p => p.GetAttribute("data-value")));
        double Cy(AngleSharp.Dom.IElement e) => double.Parse(e.GetAttribute("cy")!, CultureInfo.InvariantCulture);
        Assert.True(Cy(points[1]) > Cy(points[0]), "a lower accuracy is drawn lower");
        var reference = cut.Find("[data-testid=metric-reference]");
        Assert.Equal("0.86", reference.GetAttribute("data-value"));
        var referenceY = double.Parse(reference.GetAttribute("y1")!, CultureInfo.InvariantCulture);
        Assert.True(referenceY > Cy(points[0]) && referenceY < Cy(points[1]), "0.86 lies between 0.9 and 0.7");
    }

    [Fact]
    public async Task AModelWithoutWindowsSaysWindowsAppearOnceItServesTraffic()
    {
        var model = await data.ChampionAsync();
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var cut = RenderPage<MonitoringPage>((nameof(MonitoringPage.Name), model.Name));

        cut.WaitForAssertion(() => Assert.Contains("No predictions logged yet — windows appear once the model serves traffic",
            cut.Find("[data-testid=monitoring-empty]").TextContent), Wait);
        Assert.Equal("NoData", cut.Find("[data-testid=health-chip]").GetAttribute("data-health"));
        Assert.Contains("Champion: version 1", cut.Find("[data-testid=monitoring-champion]").TextContent);
        Assert.Contains("No alert for this model", cut.Find("[data-testid=alert-feed-empty]").TextContent);
    }

    [Fact]
    public async Task AWindowAndAnAlertPublishedByTheLoopAppearWithoutReload()
    {
        var model = await data.ChampionAsync(validationAccuracy: 0.86);
        await data.WindowAsync(model, 1, 0.85, [Numeric("income", 0.02, false)]);
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var cut = RenderPage<MonitoringPage>((nameof(MonitoringPage.Name), model.Name));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=metric-point]")), Wait);
        Assert.Equal("Healthy", cut.Find("[data-testid=health-chip]").GetAttribute("data-health"));

        var drifting = await data.WindowAsync(model, 2, 0.79, [Numeric("income", 0.45, true)]);
        await data.AlertAsync(model, drifting, AlertRule.Drift, "income", AlertSeverity.Warning, "PSI 0.45 ≥ 0.20 on income over 400 rows");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(2, cut.FindAll("[data-testid=metric-point]").Count);
            Assert.Equal("true", cut.Find($"[data-testid=heatmap-cell][data-window='{drifting.Id}']").GetAttribute("data-drifted"));
            Assert.Contains("PSI 0.45", cut.Find("[data-testid=alert-row]").TextContent);
            Assert.Equal("Alert", cut.Find("[data-testid=health-chip]").GetAttribute("data-health"));
        }, Wait);
        Assert.Equal($"models/{model.Name}/monitoring?window={drifting.Id}&feature=income", cut.Find("[data-testid=alert-window-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task AnAlertsLinkHighlightsItsWindowAndFeatureAndShowsThatWindowsQualityAndPredictions()
    {
        var model = await data.ChampionAsync();
        var first = await data.WindowAsync(model, 1, 0.85, [Numeric("income", 0.02, false), Categorical("region", 0.3, true)],
            predictions: [new("true", 100), new("false", 300)], quality: new WindowQuality(400, 9, [new("income", 1, 2, 0), new("region", 0, 0, 44)]));
        await data.WindowAsync(model, 2, 0.84, [Numeric("income", 0.02, false), Categorical("region", 0.01, false)]);
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>()
            .NavigateTo($"models/{model.Name}/monitoring?window={first.Id}&feature=region");

        var cut = RenderPage<MonitoringPage>((nameof(MonitoringPage.Name), model.Name));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=heatmap-window-highlight]")), Wait);
        Assert.NotNull(cut.Find("[data-testid=heatmap-feature-highlight]"));
        Assert.Equal("true", cut.Find($"[data-testid=metric-point][data-window='{first.Id}']").GetAttribute("data-selected"));
        Assert.Equal("9", cut.Find("[data-testid=quality-schema-violations]").GetAttribute("data-count"));
        Assert.Contains("44", cut.Find("[data-testid=quality-row][data-feature=region] [data-testid=quality-unseen]").TextContent);
        Assert.Equal(["false", "true"], cut.FindAll("[data-testid=prediction-row]").Select(r => r.GetAttribute("data-label"))); // most predicted first
        Assert.Equal("0.25", cut.Find("[data-testid=prediction-row][data-label=true] [data-testid=prediction-bar][data-window=current]").GetAttribute("data-share"));
        Assert.Empty(cut.FindAll("[data-testid=prediction-bar][data-window=previous]")); // the linked window is the first one
    }

    [Fact]
    public async Task TheCountToggleShowsTheCountWindows()
    {
        var model = await data.ChampionAsync();
        await data.WindowAsync(model, 1, 0.85, [Numeric("income", 0.02, false)]);
        await data.WindowAsync(model, 1, 0.6, [Numeric("income", 0.02, false)], kind: WindowKind.Count);
        await data.WindowAsync(model, 2, 0.61, [Numeric("income", 0.02, false)], kind: WindowKind.Count);
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist);
        var cut = RenderPage<MonitoringPage>((nameof(MonitoringPage.Name), model.Name));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=metric-point]")), Wait);

        cut.Find("[data-testid=kind-count]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["0.6", "0.61"], cut.FindAll("[data-testid=metric-point]").Select(p => p.GetAttribute("data-value"))), Wait);
    }

    [Fact]
    public async Task TheProductionPanelShowsEachChampionsHealthLiveAndLinksToItsDashboard()
    {
        var model = await data.ChampionAsync(validationAccuracy: 0.86);
        await data.WindowAsync(model, 1, 0.85, [Numeric("income", 0.02, false)]);
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var cut = Render<ProductionHealthPanel>();
        var row = $"[data-testid=production-health-row][data-model='{model.Name}']";
        cut.WaitForAssertion(() => Assert.Equal("Healthy", cut.Find($"{row} [data-testid=health-chip]").GetAttribute("data-health")), Wait);
        Assert.Contains("accuracy 0.85 on 300 labels vs 0.86", cut.Find($"{row} [data-testid=production-health-metric]").TextContent);
        Assert.Equal($"models/{model.Name}/monitoring", cut.Find($"{row} [data-testid=production-health-link]").GetAttribute("href"));

        var drifting = await data.WindowAsync(model, 2, 0.84, [Numeric("income", 0.5, true)]);
        await data.AlertAsync(model, drifting, AlertRule.Drift, "income", AlertSeverity.Critical, "PSI 0.50 on income");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Alert", cut.Find($"{row} [data-testid=health-chip]").GetAttribute("data-health"));
            Assert.Equal("income", cut.Find($"{row} [data-testid=production-health-drift]").TextContent.Trim());
            Assert.Equal("1", cut.Find($"{row} [data-testid=production-health-alerts]").TextContent.Trim());
        }, Wait);
    }

    [Fact]
    public async Task TheModelPageLinksToItsMonitoringDashboard()
    {
        var model = await data.ChampionAsync();
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var cut = RenderPage<ModelPage>((nameof(ModelPage.Name), model.Name));

        cut.WaitForAssertion(() => Assert.Equal($"models/{model.Name}/monitoring", cut.Find("[data-testid=model-monitoring-link]").GetAttribute("href")), Wait);
    }

    private static MonitoringWindowView View(int minute, double? accuracy, IReadOnlyList<FeatureDrift> drift)
    {
        var end = Start.AddMinutes(minute);
        return new(MonitoringWindowId.New(DateTimeOffset.UtcNow), 1, WindowKind.Time, end.AddMinutes(-1), end, 400, 0, accuracy is null ? 0 : 300, accuracy, null,
            drift.Count(f => f.Drifted), [], new DriftReport(5000, 400, drift), WindowQuality.Empty, "", end);
    }
}
