using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

public sealed class ResponsiveNavigationTests(PortalBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<PortalBrowserFixture>
{
    // Below MudBlazor's "md" breakpoint (960 px), where the responsive drawer collapses behind the menu button.
    private static readonly ViewportSize Tablet = new() { Width = 800, Height = 1024 };

    [Fact]
    public async Task AdministratorReachesUsersThroughTheCollapsedNavigationOnATablet()
    {
        // Arrange
        var page = await OpenPageAsync(Tablet);
        var login = await new LoginPage(page).GotoAsync();
        var shell = await login.SignInAsync(DemoAccounts.Administrator, DemoAccounts.Password);
        await shell.WaitForNavigationCollapsedAsync();
        await Expect(shell.NavigationLink("nav-users")).ToBeHiddenAsync();

        // Act
        await shell.OpenNavigationAsync();
        await shell.NavigationLink("nav-users").ClickAsync();

        // Assert
        await Expect(page).ToHaveURLAsync(new Regex("/admin/users$"));
        await Expect(shell.PageHeading).ToHaveTextAsync("Users");
    }
}
