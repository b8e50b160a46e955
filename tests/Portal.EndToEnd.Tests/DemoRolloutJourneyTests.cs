using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.Web.Startup;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Issue 11's "done when" on the demo as <c>dotnet run</c> starts it: the seeded registry and the demo traffic simulator,
/// nothing sent by the test. manager@portal.local approves the demo challenger in the browser and watches it serve 10 %,
/// then 50 %, then all of the simulator's traffic, each step's verdict appearing live; the deliberately worse demo
/// challenger is rolled back by itself, with the reason on its page and in the audit chain.
/// </summary>
public sealed class DemoRolloutJourneyTests(DemoRolloutJourneyTests.DemoFixture fixture) : BrowserTest(fixture), IClassFixture<DemoRolloutJourneyTests.DemoFixture>
{
    // The demo policy's steps last at least 45 s each; seeding trains the demo's models first.
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 180_000 };
    private static readonly LocatorAssertionsToContainTextOptions SlowContains = new() { Timeout = 180_000 };
    private static readonly LocatorAssertionsToHaveCountOptions SlowCount = new() { Timeout = 180_000 };

    /// <summary>The account whose token the simulator calls with (Demo:Traffic:Account's default); the test sends nothing.</summary>
    private const string DemoSimulatorAccount = DemoAccounts.Scientist;

    private IServiceProvider Services => Fixture.App.Services;

    private GovernanceSteps Steps => new(Services);

    [Fact]
    public async Task TheManagerApprovesTheDemoChallengerAndWatchesItTakeTheSimulatorsTrafficInStepsWhileTheWorseOneIsRolledBack()
    {
        // Arrange: the demo as seeded (its last step starts the worse challenger's rollout) with the simulator sending.
        var worseRollout = await Steps.RolloutAsync(DemoRegistrySeeder.WorseModelName, null, TimeSpan.FromMinutes(8));
        var request = await PendingRequestAsync(DemoRegistrySeeder.ModelName, 2);

        // Act: the manager approves version 2 in the browser and opens its rollout.
        var page = await SignedInAsync(DemoAccounts.Manager);
        await page.GotoAsync($"promotions/{request.Value}");
        await ExpectOnPageAsync(page, () => BlazorCircuit.WaitForInteractiveAsync(page, "[data-testid=approve]"));
        await page.GetByTestId("approve").ClickAsync();
        await page.GetByTestId("decision-submit").ClickAsync();
        await Expect(page.GetByTestId("promotion-status")).ToContainTextAsync("Approved", SlowContains);
        var rollout = await Steps.RolloutAsync(DemoRegistrySeeder.ModelName, null, TimeSpan.FromMinutes(1));
        await page.GotoAsync($"rollouts/{rollout}");

        // Assert: 10 %, a passed verdict, 50 %, a second verdict and completion, all without a reload.
        await ExpectOnPageAsync(page, async () =>
        {
            await Expect(page.GetByTestId("canary-share")).ToHaveTextAsync("10 %");
            await Expect(page.GetByTestId("verdict")).ToHaveCountAsync(1, SlowCount);
            await Expect(page.GetByTestId("verdict-outcome").First).ToContainTextAsync("passed");
            await Expect(page.GetByTestId("canary-share")).ToHaveTextAsync("50 %", Slow);
            await Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("completed", Slow);
            await Expect(page.GetByTestId("verdict")).ToHaveCountAsync(2);
        });
        Assert.Equal(2, await ProductionVersionAsync(DemoRegistrySeeder.ModelName));
        var (canaryRequests, callers) = await CanaryTrafficAsync(rollout);
        Assert.True(canaryRequests > 0, "the canary answered no logged request");
        Assert.Equal([DemoSimulatorAccount], callers);

        // The worse demo challenger, under the same simulator, was rolled back by the analysis with the reason recorded.
        await page.GotoAsync($"rollouts/{worseRollout}");
        await ExpectOnPageAsync(page, async () =>
        {
            await Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("rolled back", Slow);
            await Expect(page.GetByTestId("rollout-reason")).ToContainTextAsync("inferior");
            await Expect(page.GetByTestId("verdict-outcome").First).ToContainTextAsync("failed");
        });
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.Where(e => e.Action == AuditActions.RolloutRolledBack.Name && e.SubjectId == worseRollout.ToString())
            .Select(e => e.DetailsJson).ToListAsync();
        Assert.Contains(audited, d => d.Contains("inferior", StringComparison.Ordinal));
        Assert.Equal(1, await ProductionVersionAsync(DemoRegistrySeeder.WorseModelName));

        // Its alert is on the alert feed beside the model's drift alerts, and leads back to the rollout.
        await page.GotoAsync("alerts");
        await MudControls.FillAsync(page, "alerts-search", DemoRegistrySeeder.WorseModelName);
        var alertRow = page.Locator("tr").Filter(new() { HasText = "Rollout rolled back" });
        await ExpectOnPageAsync(page, async () => await Expect(alertRow).ToHaveCountAsync(1));
        await Expect(alertRow).ToContainTextAsync("inferior");
        await alertRow.GetByTestId("alert-dashboard-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/rollouts/{worseRollout}$"));
    }

    private async Task<PromotionRequestId> PendingRequestAsync(string model, int version)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.PromotionRequests
            .Where(r => r.VersionNumber == version && r.Status == PromotionStatus.Pending && db.RegisteredModels.Any(m => m.Id == r.ModelId && m.Name == model))
            .Select(r => r.Id).SingleAsync();
    }

    private async Task<int?> ProductionVersionAsync(string model)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.ModelVersions
            .Where(v => v.Stage == ModelStage.Production && db.RegisteredModels.Any(m => m.Id == v.ModelId && m.Name == model))
            .Select(v => (int?)v.Number).SingleOrDefaultAsync();
    }

    /// <summary>Logged requests the canary answered during the rollout, and whose tokens sent the rollout's requests.</summary>
    private async Task<(int Requests, List<string> Callers)> CanaryTrafficAsync(RolloutId rollout)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var canary = await db.PredictionBatches.CountAsync(b => b.RolloutId == rollout && b.Arm == Portal.Domain.Serving.ServingArm.Canary);
        var callers = await db.ApiTokens.Where(t => t.LastUsedUtc != null)
            .Join(db.Users, t => t.UserId, u => u.Id, (_, u) => u.Email!).Distinct().ToListAsync();
        return (canary, callers);
    }

    /// <summary>The app as <c>dotnet run</c> starts it: demo registry, worker and traffic simulator.</summary>
    public sealed class DemoFixture() : PortalBrowserFixture(new PortalAppHost(runsDemo: true));
}
