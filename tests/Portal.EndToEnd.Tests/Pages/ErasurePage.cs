using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The DPO's erasure search at /dpo/erasure: a data subject's key, what it reaches, and the report's exports.</summary>
public sealed class ErasurePage(IPage page)
{
    public const string Path = "dpo/erasure";

    public ILocator Results => page.GetByTestId("erasure-results");

    public ILocator DatasetVersions => page.GetByTestId("erasure-dataset-versions");

    public ILocator Runs => page.GetByTestId("erasure-runs");

    public ILocator ModelVersions => page.GetByTestId("erasure-model-versions");

    public ILocator LiveDeployments => page.GetByTestId("erasure-live");

    public ILocator ExportCsv => page.GetByTestId("erasure-export-csv");

    public async Task<ErasurePage> GotoAsync()
    {
        await page.GotoAsync(Path);
        await new AppShell(page).WaitUntilInteractiveAsync();
        return this;
    }

    /// <summary>Chooses the dataset and its key column, types the subject's value and presses Find.</summary>
    public async Task FindAsync(string dataset, string column, string value)
    {
        await MudControls.SelectAsync(page, "erasure-dataset", dataset);
        await MudControls.SelectAsync(page, "erasure-column", column);
        await MudControls.FillAsync(page, "erasure-value", value);
        await page.GetByTestId("erasure-search").ClickAsync();
    }
}
