using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Pages;

namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>Base of a browser test: xUnit makes one instance per test, so every test gets fresh browser contexts.</summary>
public abstract class BrowserTest(PortalBrowserFixture fixture) : IAsyncLifetime
{
    protected static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };

    private readonly List<IBrowserContext> contexts = [];

    protected PortalBrowserFixture Fixture { get; } = fixture;

    /// <summary>
    /// A new page in a new, cookie-less browser context, with relative URLs resolved against the app, or against
    /// <paramref name="baseAddress"/> (another web node) when given.
    /// </summary>
    protected async Task<IPage> OpenPageAsync(ViewportSize? viewport = null, Uri? baseAddress = null)
    {
        var context = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (baseAddress ?? Fixture.App.BaseAddress).ToString(),
            ViewportSize = viewport ?? Desktop,
        });
        context.SetDefaultTimeout(PortalBrowserFixture.TimeoutMs);
        context.SetDefaultNavigationTimeout(PortalBrowserFixture.TimeoutMs);
        contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Runs Playwright expectations; when one fails, the failure carries the page's URL and text (and the caller's context).</summary>
    protected static async Task ExpectOnPageAsync(IPage page, Func<Task> expectations, Func<string>? context = null)
    {
        try
        {
            await expectations();
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            throw new InvalidOperationException($"{page.Url} ({context?.Invoke()}): {await page.Locator("body").InnerTextAsync()}", ex);
        }
    }

    /// <summary>A new page signed in as <paramref name="email"/> with the demo password.</summary>
    protected async Task<IPage> SignedInAsync(string email)
    {
        var page = await OpenPageAsync();
        var login = await new LoginPage(page).GotoAsync();
        await login.SignInAsync(email, DemoAccounts.Password);
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }
    }
}
