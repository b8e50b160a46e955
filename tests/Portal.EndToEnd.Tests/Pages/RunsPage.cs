using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The run list at /runs: filters, the runs table, and choosing runs to compare.</summary>
public sealed class RunsPage(IPage page)
{
    private const string CompareSelector = "[data-testid=compare-runs]";

    public ILocator Table => page.GetByTestId("runs-table");

    /// <summary>The row of one run, found by the link to its page.</summary>
    public ILocator Row(Guid runId) => Table.Locator("tbody tr").Filter(new() { Has = page.Locator($"a[href='runs/{runId}']") });

    /// <summary>Waits for the list and its circuit, e.g. after following an experiment's link to it.</summary>
    public async Task<RunsPage> WaitUntilInteractiveAsync()
    {
        await new AppShell(page).WaitUntilInteractiveAsync();
        await BlazorCircuit.WaitForInteractiveAsync(page, CompareSelector);
        return this;
    }

    /// <summary>Ticks each run's box, then follows "Compare".</summary>
    public async Task<RunComparePage> CompareAsync(params Guid[] runIds)
    {
        foreach (var id in runIds)
        {
            await Row(id).Locator("input[type=checkbox]").CheckAsync();
        }

        await page.Locator(CompareSelector).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/runs/compare?ids=", StringComparison.Ordinal));
        return new RunComparePage(page);
    }
}
