using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>One dataset version at /datasets/{id}?version=n: facts, personal-data alert, column profile.</summary>
public sealed class DatasetPage(IPage page)
{
    public ILocator Facts => page.GetByTestId("dataset-facts");

    public ILocator PersonalDataAlert => page.GetByTestId("pii-alert");

    public ILocator ColumnsTable => page.GetByTestId("columns-table");

    public ILocator ColumnRow(string column) => ColumnsTable.Locator("tbody tr").Filter(new() { HasText = column });
}
