using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The DPO's workspace at /dpo: sign-offs, columns to classify, retention, and the personal-data map.</summary>
public sealed class DpoWorkspacePage(IPage page)
{
    public const string Path = "dpo";

    public ILocator Heading => page.Locator("h1");

    public ILocator MapTab => page.GetByRole(AriaRole.Tab, new() { Name = "Personal-data map" });

    public ILocator Map => page.GetByTestId("personal-data-map");

    public async Task<DpoWorkspacePage> GotoAsync()
    {
        await page.GotoAsync(Path);
        await new AppShell(page).WaitUntilInteractiveAsync();
        return this;
    }

    /// <summary>The map's row of a dataset version.</summary>
    public ILocator Entry(string dataset, int version) => page.Locator($"[data-testid=personal-data-entry][data-dataset='{dataset}'][data-version='{version}']");

    /// <summary>The model versions listed in a map row for the model named <paramref name="model"/>.</summary>
    public ILocator ModelIn(ILocator entry, string model) => entry.Locator($"[data-testid=personal-data-model][data-model='{model}']");
}
