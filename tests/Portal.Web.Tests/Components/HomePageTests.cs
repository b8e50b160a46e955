using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Domain.Security;
using Portal.Web.Features.Audit;
using Portal.Web.Features.Home;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components;

/// <summary>The home page tells each role what Portal is for today, what is still to come, and links the pages it may open.</summary>
public sealed class HomePageTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public HomePageTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<AuditQueryService>());
        Services.AddSingleton(factory.Services.GetRequiredService<Portal.Web.Features.Monitoring.MonitoringQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<Portal.Data.Live.LiveEventBus>());
        Services.AddSingleton(factory.Services.GetRequiredService<Portal.Web.Features.DataProtection.DataProtectionQueries>());
    }

    [Fact]
    public async Task ADataScientistIsToldToUploadTrainAndCompareWithLinksThere()
    {
        var intro = await IntroductionAsync(DemoAccounts.Scientist, Roles.DataScientist);

        Assert.Contains("Upload data, train models on it and compare the runs", intro.TextContent);
        Assert.Equal(["datasets", "runs/new", "runs", "experiments"], Links(intro));
    }

    [Fact]
    public async Task ABusinessManagerIsPointedToTheInboxOfPromotionsToDecideAndTheModels()
    {
        var intro = await IntroductionAsync(DemoAccounts.Manager, Roles.BusinessManager);

        Assert.Contains("Decide which models go into use", intro.TextContent);
        Assert.Null(intro.QuerySelector("[data-testid=intro-coming]"));
        Assert.Equal(["promotions", "models", "experiments", "runs"], Links(intro));
    }

    [Fact]
    public async Task ADataProtectionOfficerIsPointedToPersonalDataFlagsAndTheAuditTrail()
    {
        var intro = await IntroductionAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);

        Assert.Contains("which columns look like personal data", intro.TextContent);
        Assert.Contains("you classify each column", intro.TextContent);
        Assert.DoesNotContain("no one can clear", intro.TextContent); // classification is here now
        Assert.Equal(["datasets", "audit"], Links(intro));
    }

    [Fact]
    public async Task AnAdministratorIsPointedToUsersTokensAndTheAuditTrail()
    {
        var intro = await IntroductionAsync(DemoAccounts.Admin, Roles.Administrator);

        Assert.Contains("users and their roles, API tokens", intro.TextContent);
        Assert.Equal(["admin/users", "tokens", "audit"], Links(intro));
    }

    [Fact]
    public void EveryLinkOfAnIntroductionIsAPageItsRoleMayOpen()
    {
        Assert.All(RoleIntroduction.All, intro => Assert.All(intro.Links, link => Assert.True(link.IsVisibleTo([intro.Role]), $"{intro.Role}: {link.Href}")));
        Assert.Equal(Roles.All.Order(), RoleIntroduction.All.Select(i => i.Role).Order());
    }

    private static List<string?> Links(AngleSharp.Dom.IElement intro) =>
        [.. intro.QuerySelectorAll("[data-testid=intro-link]").Select(a => a.GetAttribute("href"))];

    private async Task<AngleSharp.Dom.IElement> IntroductionAsync(string email, string role)
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
            SignInAs(user!.Id, email, role);
        }

        var cut = RenderPage<HomePage>();
        cut.WaitForElement($"[data-testid=intro-{role}]");
        Assert.Single(cut.FindAll("[data-testid^=intro-]"), e => Roles.All.Any(r => e.GetAttribute("data-testid") == $"intro-{r}"));
        return cut.Find($"[data-testid=intro-{role}]");
    }
}
