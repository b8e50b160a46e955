using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Monitoring;
using Portal.Domain.Monitoring;
using Portal.Domain.Security;
using Portal.Web.Features.Alerts;
using Portal.Web.Tests.Alerts;
using Portal.Web.Tests.Components.Registry;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Components.Alerts;

/// <summary>The alerts page and the app bar's alert badge over a running app's database and live-event bus.</summary>
public sealed class AlertsPageTests : RegistryComponentTestContext, IClassFixture<PortalAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public AlertsPageTests(PortalAppFactory factory)
        : base(factory)
    {
        Services.AddSingleton(factory.Services.GetRequiredService<AlertQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<AlertHandling>());
    }

    [Fact]
    public async Task ARaisedAlertAppearsLiveWithItsDashboardLinkAndIsAcknowledgedWithACommentThroughTheDialog()
    {
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var seed = await new AlertSeed(Factory).WithModelAsync(new RegistryDriver(Factory));
        var page = RenderPage<AlertsPage>();
        var badge = Render<AlertBadge>();
        var before = await Factory.Services.GetRequiredService<AlertQueries>().CountOpenAsync(default);
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=alerts-table]")), Wait);

        var alert = await seed.RaiseAsync(DateTimeOffset.UtcNow, feature: "monthly_charges");

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=alert-feature]"), f => f.TextContent == "monthly_charges"), Wait);
        badge.WaitForAssertion(() => Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), badge.Find("[data-testid=alert-badge]").TextContent.Trim()), Wait);
        Assert.Equal($"models/{seed.Model}/monitoring?window={alert.WindowId}&feature=monthly_charges",
            page.FindAll("[data-testid=alert-dashboard-link]").Single(a => a.TextContent == seed.Model).GetAttribute("href"));
        Assert.Equal("critical", page.FindAll("[data-testid=alert-severity]").First().TextContent.Trim());

        page.FindAll("[data-testid=alert-acknowledge]").First().Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("textarea[data-testid=alert-action-comment]")), Wait);
        await page.Find(".mud-dialog form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("comment is required", page.Find("[data-testid=dialog-error]").TextContent), Wait);
        page.Find("textarea[data-testid=alert-action-comment]").Input("checking the billing feed");
        await page.Find(".mud-dialog form").SubmitAsync();

        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll(".mud-dialog"));
            Assert.Equal("Acknowledged", page.FindAll("[data-testid=alert-status]").First().TextContent.Trim());
            Assert.Contains("checking the billing feed", page.Find("[data-testid=alert-ack-comment]").TextContent);
        }, Wait);
        badge.WaitForAssertion(() => Assert.Equal(before, badge.FindAll("[data-testid=alert-badge]").Sum(b => int.Parse(b.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture))), Wait);
    }

    [Fact]
    public async Task TheDpoSeesAlertsWithoutTheButtonsToHandleThem()
    {
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);
        var seed = await new AlertSeed(Factory).WithModelAsync(new RegistryDriver(Factory));
        await seed.RaiseAsync(DateTimeOffset.UtcNow, feature: "tenure");

        var page = RenderPage<AlertsPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=alert-status]")), Wait);
        Assert.Empty(page.FindAll("[data-testid=alert-acknowledge]"));
        Assert.Empty(page.FindAll("[data-testid=alert-resolve]"));
    }
}

/// <summary>The alerts page of an app without alerts.</summary>
public sealed class AlertsPageEmptyTests : RegistryComponentTestContext, IClassFixture<PortalAppFactory>
{
    public AlertsPageEmptyTests(PortalAppFactory factory)
        : base(factory)
    {
        Services.AddSingleton(factory.Services.GetRequiredService<AlertQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<AlertHandling>());
    }

    [Fact]
    public async Task WithoutAlertsThePageSaysEveryProductionModelIsWithinItsThresholdsAndTheBadgeShowsNoCount()
    {
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var page = RenderPage<AlertsPage>();
        var badge = Render<AlertBadge>();

        page.WaitForAssertion(() => Assert.Equal("No alerts — every production model is within its thresholds.",
            page.Find("[data-testid=alerts-empty]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Empty(badge.FindAll("[data-testid=alert-badge]"));
        Assert.Equal("Alerts: none open", badge.Find("[data-testid=alert-badge-link]").GetAttribute("aria-label"));
    }
}
