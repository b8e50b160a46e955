using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The experiment list at /experiments with its create and describe dialog.</summary>
public sealed class ExperimentsPage(IPage page)
{
    public const string Path = "experiments";

    public ILocator DialogError => page.GetByTestId("dialog-error");

    public ILocator Row(string name) => page.GetByTestId("experiments-table").Locator("tr").Filter(new() { Has = page.GetByTestId("experiment-link").GetByText(name, new() { Exact = true }) });

    public async Task<ExperimentsPage> GotoAsync()
    {
        await page.GotoAsync(Path);
        await new AppShell(page).WaitUntilInteractiveAsync();
        return this;
    }

    /// <summary>Opens the dialog, names and describes the experiment, and creates it.</summary>
    public async Task CreateAsync(string name, string description)
    {
        await page.GetByTestId("new-experiment").ClickAsync();
        await MudControls.FillAsync(page, "experiment-name", name);
        await MudControls.FillAsync(page, "experiment-description", description);
        await page.GetByTestId("experiment-save").ClickAsync();
    }

    /// <summary>Follows an experiment's name to the runs page filtered to it.</summary>
    public async Task OpenRunsOfAsync(string name)
    {
        await Row(name).GetByTestId("experiment-link").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/runs?experiment=", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
    }
}
