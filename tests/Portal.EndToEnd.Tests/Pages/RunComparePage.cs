using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>Runs side by side at /runs/compare?ids=…: metrics with the best marked, parameters with differences marked.</summary>
public sealed class RunComparePage(IPage page)
{
    /// <summary>What the marks mean.</summary>
    public ILocator Legend => page.GetByTestId("compare-legend");

    public ILocator Table => page.GetByTestId("compare-table");

    /// <summary>The value cells (one per run, in column order) of a metric's row, by the metric's key.</summary>
    public ILocator MetricCells(string key) => Table.Locator($"tr[data-metric='{key}'] td:not(:first-child)");
}
