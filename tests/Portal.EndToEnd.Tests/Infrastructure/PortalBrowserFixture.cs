using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One running app and one headless chromium shared by the tests of a class; each test opens its own
/// browser context (cookies, storage) through <see cref="BrowserTest"/>. The app trains nothing; see
/// <see cref="TrainingBrowserFixture"/> for one that does.
/// </summary>
public class PortalBrowserFixture : IAsyncLifetime
{
    // Debian's chromium: `playwright install` cannot download browsers on the build machines (ENVIRONMENT.md, gotcha 8).
    private const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// Timeout of every Playwright action, navigation and Expect(...): generous, because the build machines have
    /// two cores shared by Kestrel, the circuits and chromium (Playwright's defaults are 30 s and 5 s).
    /// </summary>
    public const float TimeoutMs = 20_000;

    private IPlaywright? playwright;

    public PortalBrowserFixture()
        : this(new PortalAppHost())
    {
    }

    protected PortalBrowserFixture(PortalAppHost app) => App = app;

    public PortalAppHost App { get; }

    public IBrowser Browser { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        App.Start();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        await App.DisposeAsync();
    }
}
