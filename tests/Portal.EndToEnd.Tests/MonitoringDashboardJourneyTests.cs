using Microsoft.Playwright;
using Portal.Domain.Monitoring;
using Portal.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Issue 12's live dashboard in a real browser: the manager finds a production model's health on the home page, opens its
/// monitoring dashboard, and a window the monitoring loop writes (here: the test, through its own DbContext with the live
/// event in the same save, as the loop does) appears in the accuracy chart and the drift heat map without a reload.
/// </summary>
public sealed class MonitoringDashboardJourneyTests(PortalBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<PortalBrowserFixture>
{
    private static readonly LocatorAssertionsToHaveCountOptions Live = new() { Timeout = 40_000 };

    private MonitoringSteps Steps => new(Fixture.App.Services, Fixture.App.BaseAddress);

    [Fact]
    public async Task AManagerSeesANewWindowInTheAccuracyChartAndHeatMapWithoutReload()
    {
        // Arrange: a model in production whose run recorded a validation accuracy of 0.86, with one quiet window.
        var (model, modelId, versionId) = await Steps.ChampionAsync();
        await Steps.WindowAsync(modelId, versionId, 1, 0.85, [new FeatureDrift("tenure", FeatureKind.Numeric, DriftTest.Ks, 0.04, 0.6, 0.02, false)]);
        var page = await SignedInAsync(DemoAccounts.Manager);
        var row = page.Locator($"[data-testid=production-health-row][data-model='{model}']");
        await ExpectOnPageAsync(page, () => Expect(row.GetByTestId("health-chip")).ToHaveAttributeAsync("data-health", "Healthy"));
        await row.GetByTestId("production-health-link").ClickAsync();
        await ExpectOnPageAsync(page, async () =>
        {
            await Expect(page.GetByTestId("metric-point")).ToHaveCountAsync(1);
            await BlazorCircuit.WaitForInteractiveAsync(page, "[data-testid=kind-count]");
        });
        await page.EvaluateAsync("() => { window.portalNoReload = true; }");

        // Act: the loop closes a window in which tenure drifted and accuracy fell.
        var drifting = await Steps.WindowAsync(modelId, versionId, 2, 0.78, [new FeatureDrift("tenure", FeatureKind.Numeric, DriftTest.Ks, 0.38, 1e-9, 0.47, true)]);

        // Assert: the chart has its second point and the heat map its drifted cell, on the same page (no reload).
        await ExpectOnPageAsync(page, async () =>
        {
            await Expect(page.GetByTestId("metric-point")).ToHaveCountAsync(2, Live);
            await Expect(page.Locator($"[data-testid=heatmap-cell][data-window='{drifting.Id}'][data-drifted=true]")).ToHaveCountAsync(1);
            await Expect(page.Locator($"[data-testid=metric-point][data-window='{drifting.Id}']")).ToHaveAttributeAsync("data-value", "0.78");
            await Expect(page.GetByTestId("health-chip")).ToHaveAttributeAsync("data-health", "Alert");
        });
        Assert.True(await page.EvaluateAsync<bool>("() => window.portalNoReload === true"), "the page was reloaded");
        Assert.Contains("tenure", await page.Locator($"[data-testid=heatmap-cell][data-window='{drifting.Id}'] title").TextContentAsync());
    }
}
