using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The lineage page at /lineage: the graph around one node and, in its Table tab, the same nodes and edges as tables.</summary>
public sealed class LineagePage(IPage page)
{
    public ILocator TableTab => page.GetByRole(AriaRole.Tab, new() { Name = "Table" });

    public ILocator NodesTable => page.GetByTestId("lineage-nodes-table");

    public ILocator EdgesTable => page.GetByTestId("lineage-edges-table");

    /// <summary>Opens the lineage of <paramref name="node"/> (<c>kind:id</c>) in a direction (up, down, both) to a depth, as its Lineage button links.</summary>
    public async Task<LineagePage> GotoAsync(string node, string direction, int depth)
    {
        await page.GotoAsync($"lineage?node={Uri.EscapeDataString(node)}&direction={direction}&depth={depth}");
        await new AppShell(page).WaitUntilInteractiveAsync();
        return this;
    }

    /// <summary>The nodes table's row whose label is exactly <paramref name="label"/>.</summary>
    public ILocator NodeRow(string label) =>
        NodesTable.Locator("tbody tr").Filter(new() { Has = page.Locator("td[data-label=Node]").GetByText(label, new() { Exact = true }) });

    /// <summary>A node row's cell under a heading (Kind, Distance, Personal data, Live).</summary>
    public static ILocator Cell(ILocator row, string heading) => row.Locator($"td[data-label='{heading}']");

    /// <summary>The edges table's rows from the node labelled <paramref name="from"/> to the one labelled <paramref name="to"/>.</summary>
    public ILocator EdgeRow(string from, string to) =>
        EdgesTable.Locator("tbody tr")
            .Filter(new() { Has = page.Locator("td[data-label=From]").GetByText(from, new() { Exact = true }) })
            .Filter(new() { Has = page.Locator("td[data-label=To]").GetByText(to, new() { Exact = true }) });
}
