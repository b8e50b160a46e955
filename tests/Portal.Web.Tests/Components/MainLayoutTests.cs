using Portal.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Extensions;
using Portal.Domain.Security;
using Portal.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Live;
using Portal.Web.Features.Registry;

namespace Portal.Web.Tests.Components;

public sealed class MainLayoutTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    public MainLayoutTests(PortalAppFactory factory)
    {
        // The navigation's Inbox item carries a live badge: the registry's counts and the live-event bus of a running app.
        Services.AddSingleton(factory.Services.GetRequiredService<RegistryQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<LiveEventBus>());
        // The app bar's alert badge: the open alerts' count.
        Services.AddSingleton(factory.Services.GetRequiredService<Portal.Web.Features.Alerts.AlertQueries>());
    }

    [Fact]
    public void ShowsTheSignedInUserTheirPageAndASignOutForm()
    {
        SignIn("dpo@portal.local", Roles.DataProtectionOfficer);

        var cut = RenderLayout();

        Assert.Equal("dpo@portal.local", cut.Find("[data-testid=signed-in-user]").TextContent.Trim());
        Assert.Equal("The page", cut.Find("h1").TextContent);
        var form = cut.Find("form[action='Account/Logout']");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.NotNull(cut.Find("[data-testid=nav-audit-trail]"));
    }

    [Fact]
    public void ThemeToggleSwitchesBetweenLightAndDark()
    {
        SignIn("scientist@portal.local", Roles.DataScientist);
        var cut = RenderLayout();
        Assert.False(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));

        cut.Find("[data-testid=theme-toggle]").Click();

        cut.WaitForAssertion(() => Assert.True(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode)));
        cut.Find("[data-testid=theme-toggle]").Click();
        cut.WaitForAssertion(() => Assert.False(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode)));
    }

    [Fact]
    public void TheThemeChoiceIsSavedAndTheSavedChoiceIsTheThemeOfTheNextPage()
    {
        SignIn("scientist@portal.local", Roles.DataScientist);
        var theme = JSInterop.SetupModule(ThemePreference.ModulePath);
        theme.SetupVoid("remember", _ => true).SetVoidResult();
        var cut = RenderLayout(savedDarkMode: true);
        Assert.True(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode)); // as saved, not the system's light

        cut.Find("[data-testid=theme-toggle]").Click();

        cut.WaitForAssertion(() => Assert.False(cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode)));
        Assert.Equal([false], theme.VerifyInvoke("remember").Arguments);
    }

    [Fact]
    public void MenuButtonHidesAndShowsTheNavigationDrawer()
    {
        SignIn("admin@portal.local", Roles.Administrator);
        var cut = RenderLayout();
        // The responsive drawer's starting state depends on the viewport the browser reports; the button flips it.
        var initial = cut.FindComponent<MudDrawer>().Instance.GetState(x => x.Open);

        cut.Find("button[aria-label='Show or hide the navigation']").Click();
        cut.WaitForAssertion(() => Assert.Equal(!initial, cut.FindComponent<MudDrawer>().Instance.GetState(x => x.Open)));
        cut.Find("button[aria-label='Show or hide the navigation']").Click();
        cut.WaitForAssertion(() => Assert.Equal(initial, cut.FindComponent<MudDrawer>().Instance.GetState(x => x.Open)));
    }

    private IRenderedComponent<MainLayout> RenderLayout(bool? savedDarkMode = null) =>
        Render<MainLayout>(p =>
        {
            p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1>The page</h1>")));
            if (savedDarkMode is { } saved)
            {
                p.AddCascadingValue(ThemePreference.CascadingName, saved); // as App reads the cookie into Routes
            }
        });
}
