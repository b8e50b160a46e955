using Portal.Web.Tests.Infrastructure;
using Bunit;
using Portal.Domain.Security;
using Portal.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Live;
using Portal.Web.Features.Registry;

namespace Portal.Web.Tests.Components;

public sealed class NavMenuTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    public NavMenuTests(PortalAppFactory factory)
    {
        // The Inbox item carries a live badge: the registry's counts and the live-event bus of a running app.
        Services.AddSingleton(factory.Services.GetRequiredService<RegistryQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<LiveEventBus>());
    }

    public static TheoryData<string[], string[]> Expectations() => new()
    {
        { [Roles.DataScientist], ["nav-home", "nav-datasets", "nav-experiments", "nav-runs", "nav-models", "nav-inbox", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-api-tokens"] },
        { [Roles.BusinessManager], ["nav-home", "nav-datasets", "nav-experiments", "nav-runs", "nav-models", "nav-inbox", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-api-tokens"] },
        { [Roles.DataProtectionOfficer], ["nav-home", "nav-datasets", "nav-experiments", "nav-runs", "nav-models", "nav-inbox", "nav-data-protection", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-audit-trail", "nav-api-tokens"] },
        { [Roles.Administrator], ["nav-home", "nav-models", "nav-inbox", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-users", "nav-audit-trail", "nav-webhooks", "nav-api-tokens"] },
        { [Roles.DataScientist, Roles.DataProtectionOfficer], ["nav-home", "nav-datasets", "nav-experiments", "nav-runs", "nav-models", "nav-inbox", "nav-data-protection", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-audit-trail", "nav-api-tokens"] },
        { [], ["nav-home", "nav-api-tokens"] },
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public void EachRoleSeesExactlyItsNavigation(string[] roles, string[] expected)
    {
        SignIn("someone@portal.local", roles);

        var cut = Render<NavMenu>();

        var shown = cut.FindAll("[data-testid^=nav-]").Select(e => e.GetAttribute("data-testid")).Where(id => id != "nav-menu").ToArray();
        Assert.Equal(expected, shown);
    }

    [Fact]
    public void LinksPointAtThePagesRoutes()
    {
        SignIn("admin@portal.local", Roles.Administrator);

        var cut = Render<NavMenu>();

        Assert.Equal("admin/users", cut.Find("[data-testid=nav-users]").GetAttribute("href"));
        Assert.Equal("audit", cut.Find("[data-testid=nav-audit-trail]").GetAttribute("href"));
    }

    [Fact]
    public void AnonymousVisitorSeesNoNavigation()
    {
        AddAuthorization();

        var cut = Render<NavMenu>();

        Assert.Empty(cut.FindAll("a"));
    }
}
