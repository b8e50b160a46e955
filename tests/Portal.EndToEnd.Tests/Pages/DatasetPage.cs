using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>One dataset version at /datasets/{id}?version=n: facts, personal-data alert, column profile.</summary>
public sealed class DatasetPage(IPage page)
{
    public ILocator Facts => page.GetByTestId("dataset-facts");

    public ILocator PersonalDataAlert => page.GetByTestId("pii-alert");

    public ILocator ColumnsTable => page.GetByTestId("columns-table");

    /// <summary>The runs trained on this dataset, each linking to its run page.</summary>
    public ILocator RunsTable => page.GetByTestId("dataset-runs-table");

    /// <summary>The distribution panel's note that a personal-data column's values are not shown to this viewer.</summary>
    public ILocator ValuesWithheld => page.GetByTestId("values-withheld");

    /// <summary>The cell of a column's row that summarises its values.</summary>
    public ILocator SummaryOf(string column) => ColumnRow(column).Locator("td[data-label=Summary]");

    /// <summary>Opens a dataset version's page as any signed-in user may, by its address.</summary>
    public async Task<DatasetPage> GotoAsync(string pathAndQuery)
    {
        await page.GotoAsync(pathAndQuery);
        await new AppShell(page).WaitUntilInteractiveAsync();
        return this;
    }

    /// <summary>Opens the DPO's dialog for a column's purpose, legal basis and retention.</summary>
    public async Task<ColumnProtectionDialog> EditProtectionAsync(string column)
    {
        await ColumnRow(column).GetByTestId("protection-edit").ClickAsync();
        await page.GetByTestId("protection-save").WaitForAsync();
        return new ColumnProtectionDialog(page);
    }

    /// <summary>What a column's row says about its purpose, legal basis and retention.</summary>
    public ILocator ProtectionOf(string column) => ColumnRow(column).GetByTestId("column-protection");

    /// <summary>Shows a column's distribution, as a user clicking its row does.</summary>
    public Task ChooseColumnAsync(string column) => ColumnRow(column).ClickAsync();

    /// <summary>The row of the column named exactly <paramref name="column"/> (other cells may mention the name).</summary>
    public ILocator ColumnRow(string column) =>
        ColumnsTable.Locator("tbody tr").Filter(new() { Has = page.Locator("td:first-child").GetByText(column, new() { Exact = true }) });
}
