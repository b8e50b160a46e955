using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The interactive layout around every signed-in page: app bar, navigation drawer, sign-out.</summary>
public sealed class AppShell(IPage page)
{
    private const string MenuButtonSelector = "button[aria-label='Show or hide the navigation']";

    /// <summary>Every navigation entry the app can show, by its data-testid.</summary>
    public static readonly IReadOnlyList<string> AllNavigationLinks = ["nav-home", "nav-datasets", "nav-experiments", "nav-runs", "nav-models", "nav-inbox", "nav-data-protection", "nav-rollouts", "nav-lineage", "nav-alerts", "nav-users", "nav-audit-trail", "nav-webhooks", "nav-api-tokens"];

    public ILocator NavigationMenu => page.GetByTestId("nav-menu");

    public ILocator SignedInUser => page.GetByTestId("signed-in-user");

    public ILocator PageHeading => page.Locator("h1");

    private ILocator MenuButton => page.Locator(MenuButtonSelector);

    // MudDrawer reports its state as the classes mud-drawer--open / mud-drawer--closed.
    private ILocator Drawer => page.Locator(".mud-drawer");

    private ILocator SignOutButton => page.GetByTestId("sign-out");

    public ILocator NavigationLink(string testId) => page.GetByTestId(testId);

    /// <summary>Waits for the layout to be on screen and connected to its circuit (see <see cref="BlazorCircuit"/>).</summary>
    public async Task WaitUntilInteractiveAsync()
    {
        await NavigationMenu.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        // The menu button is the layout's own interactive control: once it is wired, the layout is live.
        await BlazorCircuit.WaitForInteractiveAsync(page, MenuButtonSelector);
    }

    /// <summary>
    /// Waits for the responsive drawer to be collapsed. On a narrow screen the prerendered page shows it open, and
    /// MudDrawer closes it a moment after the circuit connects: clicking the menu button before that would race it.
    /// </summary>
    public async Task WaitForNavigationCollapsedAsync() =>
        await Expect(Drawer).ToHaveClassAsync(new Regex(@"\bmud-drawer--closed\b"));

    /// <summary>Opens the collapsed navigation drawer with the app bar's menu button, as a user on a small screen does.</summary>
    public async Task OpenNavigationAsync()
    {
        await WaitForNavigationCollapsedAsync();
        await MenuButton.ClickAsync();
        await Expect(Drawer).ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));
    }

    public async Task<LoginPage> SignOutAsync()
    {
        // A plain form post; the server signs out and redirects to the sign-in page. Waiting only for the navigation to
        // commit: the page's 'load' event can lag far behind on a loaded build machine (one CI run timed out on it), and
        // callers assert on the sign-in page's content, which retries.
        await SignOutButton.ClickAsync();
        await page.WaitForURLAsync("**/Account/Login", new() { WaitUntil = WaitUntilState.Commit });
        return new LoginPage(page);
    }
}
