using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The home page at /: what Portal is for, per role the user holds, and the user's own recent activity.</summary>
public sealed class HomePage(IPage page)
{
    /// <summary>The introduction of one role (its name as Portal.Domain.Security.Roles spells it, e.g. "BusinessManager").</summary>
    public ILocator Introduction(string role) => page.GetByTestId($"intro-{role}");

    /// <summary>Every role introduction on the page.</summary>
    public ILocator Introductions => page.Locator("[data-testid^='intro-']:not([data-testid='intro-link']):not([data-testid='intro-coming'])");
}
