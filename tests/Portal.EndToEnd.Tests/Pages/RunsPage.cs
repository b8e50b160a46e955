using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

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
        var compare = page.Locator(CompareSelector);
        for (var i = 0; i < runIds.Length; i++)
        {
            await Row(runIds[i]).Locator("input[type=checkbox]").CheckAsync();
            // The server counts the choice before the next one (the button says how many it has).
            await Expect(compare).ToHaveTextAsync($"Compare ({i + 1})");
        }

        await compare.ClickAsync();
        // The app navigates inside the page (history API): the address changes without a load event.
        await Expect(page).ToHaveURLAsync(new Regex(@"/runs/compare\?ids="));
        await Expect(page.GetByTestId("compare-table")).ToBeVisibleAsync();
        return new RunComparePage(page);
    }
}
