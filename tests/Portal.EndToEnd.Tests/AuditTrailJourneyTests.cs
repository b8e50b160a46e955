using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

public sealed class AuditTrailJourneyTests(PortalBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task DataProtectionOfficerSeesTheChainIntactWhenVerifyingAnUntouchedAuditTrail()
    {
        // Arrange
        var page = await OpenPageAsync();
        var login = await new LoginPage(page).GotoAsync();
        await login.SignInAsync(DemoAccounts.DataProtectionOfficer, DemoAccounts.Password);
        var audit = await new AuditTrailPage(page).GotoAsync();
        await new AppShell(page).WaitUntilInteractiveAsync();

        // Act
        await audit.VerifyChainAsync();

        // Assert
        await Expect(audit.VerifyResult).ToContainTextAsync("Chain intact");
    }
}
