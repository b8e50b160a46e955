using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

public sealed partial class SignInJourneyTests(PortalBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<PortalBrowserFixture>
{
    public static TheoryData<string, string[]> NavigationByRole => new()
    {
        { DemoAccounts.Scientist, ["nav-home", "nav-datasets", "nav-experiments", "nav-runs", "nav-models", "nav-inbox", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-api-tokens"] },
        { DemoAccounts.Manager, ["nav-home", "nav-datasets", "nav-experiments", "nav-runs", "nav-models", "nav-inbox", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-api-tokens"] },
        { DemoAccounts.DataProtectionOfficer, ["nav-home", "nav-datasets", "nav-experiments", "nav-runs", "nav-models", "nav-inbox", "nav-data-protection", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-audit-trail", "nav-api-tokens"] },
        { DemoAccounts.Administrator, ["nav-home", "nav-models", "nav-inbox", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-users", "nav-audit-trail", "nav-webhooks", "nav-api-tokens"] },
    };

    [Theory]
    [MemberData(nameof(NavigationByRole))]
    public async Task SignedInUserSeesExactlyTheNavigationOfTheirRoleAndSignsOutToTheSignInPage(string email, string[] visibleLinks)
    {
        // Arrange
        var page = await OpenPageAsync();
        var login = await new LoginPage(page).GotoAsync();

        // Act
        var shell = await login.SignInAsync(email, DemoAccounts.Password);

        // Assert
        await Expect(page).ToHaveURLAsync(new Regex(@"^http://127\.0\.0\.1:\d+/$"));
        await Expect(shell.PageHeading).ToHaveTextAsync($"Welcome, {email}");
        await Expect(shell.SignedInUser).ToHaveTextAsync(email);
        foreach (var link in visibleLinks)
        {
            await Expect(shell.NavigationLink(link)).ToBeVisibleAsync();
        }

        foreach (var link in AppShell.AllNavigationLinks.Except(visibleLinks))
        {
            await Expect(shell.NavigationLink(link)).ToHaveCountAsync(0);
        }

        // Act
        var afterSignOut = await shell.SignOutAsync();

        // Assert
        await Expect(afterSignOut.Heading).ToBeVisibleAsync();
        await Expect(shell.NavigationMenu).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignInIsRefusedWithAnErrorWhenThePasswordIsWrong()
    {
        // Arrange
        var page = await OpenPageAsync();
        var login = await new LoginPage(page).GotoAsync();

        // Act
        await login.SubmitAsync(DemoAccounts.Manager2, "not-the-password-123");

        // Assert
        await Expect(login.Error).ToHaveTextAsync("Wrong email or password.");
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await Expect(login.Heading).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-menu")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnonymousVisitToAuditIsSentToSignInAndLandsOnAuditAfterSigningIn()
    {
        // Arrange
        var page = await OpenPageAsync();

        // Act
        await page.GotoAsync(AuditTrailPage.Path);

        // Assert
        await Expect(page).ToHaveURLAsync(LoginUrlReturningToAudit());
        var login = new LoginPage(page);
        await Expect(login.Heading).ToBeVisibleAsync();

        // Act
        await login.SignInAsync(DemoAccounts.DataProtectionOfficer, DemoAccounts.Password);

        // Assert
        await Expect(page).ToHaveURLAsync(new Regex(@"/audit$"));
        await Expect(new AuditTrailPage(page).Heading).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"/Account/Login(\?.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex LoginUrl();

    [GeneratedRegex(@"/Account/Login\?returnUrl=(%2F|/)audit$", RegexOptions.IgnoreCase)]
    private static partial Regex LoginUrlReturningToAudit();
}
