using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.EndToEnd.Tests.TestData;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The upload form as a new user meets it: a file chosen before the name, then the name typed and the same file
/// dropped straight away, without ever leaving the name field; and the theme chosen there kept over a reload.
/// </summary>
public sealed class DatasetUploadJourneyTests(PortalBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task AFailedAttemptCanBeRetriedWithTheSameFileAndANameTypedWithoutLeavingTheFieldIsUsedAndTheThemeChoiceSurvivesAReload()
    {
        // Arrange
        var page = await OpenPageAsync();
        await (await new LoginPage(page).GotoAsync()).SignInAsync(DemoAccounts.Scientist, DemoAccounts.Password);
        var datasets = await new DatasetsPage(page).GotoAsync();
        var csv = new ChurnCsvBuilder().WithRows(200).WithSeed(5).Build();
        var name = $"dropped-{Guid.NewGuid():N}"[..16];

        // Assert: the page heading takes focus for screen readers, without a thick outline drawn around it.
        await Expect(new AppShell(page).PageHeading).ToHaveCSSAsync("outline-style", "none");
        await Expect(datasets.UploadError).ToHaveCountAsync(0);

        // Act: the file first, before any name.
        await datasets.ChooseFileAsync("churn.csv", csv);

        // Assert
        await Expect(datasets.UploadError).ToContainTextAsync("Give the dataset a name. Then choose churn.csv again.");

        // Act: the name typed and the very same file chosen again at once, the caret still in the name field.
        await datasets.TypeNameWithoutLeavingAsync(name);
        await datasets.ChooseFileAsync("churn.csv", csv);
        var dataset = await datasets.WaitForDatasetPageAsync();

        // Assert
        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
        await Expect(dataset.Facts).ToContainTextAsync("200 rows");

        // Act: the other theme, then a reload.
        var body = page.Locator("body");
        var before = await body.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(body).Not.ToHaveCSSAsync("background-color", before);
        var chosen = await body.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        await page.ReloadAsync();

        // Assert: the page arrives in the chosen theme.
        await Expect(body).ToHaveCSSAsync("background-color", chosen);
        await new AppShell(page).WaitUntilInteractiveAsync();
        await Expect(body).ToHaveCSSAsync("background-color", chosen);
    }
}
