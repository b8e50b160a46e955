using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.EndToEnd.Tests.TestData;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A new user's first week (issue #9), replayed in the browser with public-looking data the product never saw: a data
/// scientist trains on penguins and reads the finished run, compares two runs, and a business manager and the data
/// protection officer find out what Portal is for them and what they may see.
/// </summary>
public sealed partial class FirstWeekJourneyTests(TrainingBrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture), IClassFixture<TrainingBrowserFixture>
{
    // Training shares two cores with Kestrel, the circuits and chromium, and the other builds on the machine.
    private static readonly LocatorAssertionsToHaveTextOptions TrainingWait = new() { Timeout = 90_000 };

    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task ScientistTrainsOnPenguinsAndTheFinishedRunSaysWhatItLearnedOnAnyScreen()
    {
        // Arrange
        var page = await SignedInAsync(DemoAccounts.Scientist);
        var penguins = new PenguinsCsvBuilder().WithSeed(7);
        var datasetName = UniqueName("penguins");
        var experiment = UniqueName("penguin-species");
        var datasets = await new DatasetsPage(page).GotoAsync();

        // Act: the name typed and the file chosen straight away, the caret still in the name field.
        await datasets.TypeNameWithoutLeavingAsync(datasetName);
        await datasets.ChooseFileAsync("penguins.csv", penguins.Build());
        var dataset = await datasets.WaitForDatasetPageAsync();

        // Assert
        await Expect(page.Locator("h1")).ToHaveTextAsync(datasetName);
        await Expect(dataset.Facts).ToContainTextAsync($"{penguins.Rows} rows · {penguins.Columns} columns");
        await Expect(dataset.ColumnRow("sex")).ToContainTextAsync("%");

        // Act: the body mass histogram (2,700–6,300 g), whose bin labels were once 2.7E+03.
        await new AppShell(page).WaitUntilInteractiveAsync();
        await dataset.ChooseColumnAsync("body_mass_g");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "body_mass_g" })).ToBeVisibleAsync();

        // Assert
        await ScreenChecks.AssertNoENotationAsync(page, "The dataset page with body_mass_g's distribution");

        // Arrange
        var form = await new NewRunPage(page).GotoAsync();
        await form.NameExperimentAsync(experiment);
        await form.ChooseDatasetAsync(datasetName);

        // Assert: the form's first suggestion is the last column, sex, with two values.
        await Expect(form.Task).ToContainTextAsync(new Regex(@"\bbinary\b", RegexOptions.IgnoreCase));

        // Act
        await form.ChooseLabelAsync(PenguinsCsvBuilder.Label);

        // Assert: three species are three classes.
        await Expect(form.Task).ToContainTextAsync(new Regex(@"\bmulticlass\b", RegexOptions.IgnoreCase));
        await Expect(page.GetByText("Suggested: species has 3 distinct values")).ToBeVisibleAsync();
        await ScreenChecks.AssertNoENotationAsync(page, "The new run form");

        // Act: a validation fraction out of range, then an attempt to start anyway.
        await form.SetValidationFractionAsync(0.99);
        await form.ClickStartTrainingAsync();

        // Assert: refused, saying the range, and the value left as typed (not silently changed to 0.5).
        await Expect(form.FieldErrors).ToContainTextAsync("validationFraction must be between 0.05 and 0.5");
        await Expect(form.ValidationFraction).ToHaveValueAsync("0.99");
        await Expect(page).ToHaveURLAsync(new Regex("/runs/new$"));

        // Act: a fraction in range, and a short LightGbm (the default trainer).
        await form.SetValidationFractionAsync(0.25);
        await Expect(form.FieldErrors).ToHaveCountAsync(0);
        await form.SetHyperparameterAsync("numberOfIterations", 30);
        var run = await form.StartTrainingAsync();

        // Assert: the finished run says what it was trained on and what it learned.
        await Expect(run.Status).ToHaveTextAsync("Succeeded", TrainingWait);
        await Expect(run.DatasetLink).ToHaveTextAsync($"{datasetName} v1");
        await Expect(run.DatasetLink).ToHaveAttributeAsync("href", new Regex(@"^datasets/[0-9a-f-]{36}\?version=1$"));
        foreach (var species in PenguinsCsvBuilder.Species)
        {
            await Expect(run.ConfusionMatrix.Locator("thead th").Filter(new() { HasText = species })).ToHaveCountAsync(1);
            await Expect(run.ConfusionMatrix.Locator("tbody th").Filter(new() { HasText = species })).ToHaveCountAsync(1);
            await Expect(run.PerClassMetrics.Locator("tbody tr").Filter(new() { HasText = species })).ToHaveCountAsync(1);
        }

        await Expect(run.Metrics).ToContainTextAsync("Macro accuracy");
        await Expect(run.Steps).ToContainTextAsync("of the 30 allowed by numberOfIterations");
        // The mostly empty comments column is a data finding whose evidence must read as text, not raw JSON.
        await Expect(run.Diagnostics).ToContainTextAsync("MostlyMissing");
        await Expect(run.DiagnosticEvidence.First).ToBeVisibleAsync();
        await Expect(run.Diagnostics).Not.ToContainTextAsync("{\"");
        // A near-perfect model's tiny losses are no overfitting (issue #9: "145 % above" on noise).
        await Expect(run.Diagnostics).Not.ToContainTextAsync("Overfitting");
        await ScreenChecks.AssertNoENotationAsync(page, "The finished run page");

        // Act
        var download = await page.APIRequest.GetAsync(await run.DownloadModel.GetAttributeAsync("href") ?? "");

        // Assert: the model is a zip (ML.NET's model file).
        Assert.Equal(200, download.Status);
        var model = await download.BodyAsync();
        Assert.True(model.Length > 1000 && model[0] == (byte)'P' && model[1] == (byte)'K', $"Download model gave {model.Length} bytes that are not a zip ({download.Headers.GetValueOrDefault("content-type")}).");

        // Assert: readable without scrolling sideways, on a desktop and on a phone.
        await ScreenChecks.AssertNoHorizontalOverflowAsync(page, "The run page at 1440 px");
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await ScreenChecks.AssertNoHorizontalOverflowAsync(page, "The run page at 390 px");
        await Expect(run.DownloadModel).ToBeInViewportAsync();

        // Act: from the run to its dataset, still on the phone.
        var runId = run.RunId;
        await run.DatasetLink.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/datasets/[0-9a-f-]{36}\?version=1$"), new() { WaitUntil = WaitUntilState.Commit });

        // Assert: the dataset lists the run, linking back, and its page (64-character hash included) fits both screens.
        await Expect(dataset.RunsTable.Locator($"a[href='runs/{runId}']")).ToBeVisibleAsync();
        await Expect(dataset.RunsTable).ToContainTextAsync(experiment);
        await ScreenChecks.AssertNoHorizontalOverflowAsync(page, "The dataset page at 390 px");
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        await ScreenChecks.AssertNoHorizontalOverflowAsync(page, "The dataset page at 1440 px");
    }

    [Fact]
    public async Task CompareMarksTheRunWithTheHigherLogLossReductionAsBestAndSaysWhatTheMarksMean()
    {
        // Arrange: two churn runs of one experiment, a weak one and a stronger one.
        var page = await SignedInAsync(DemoAccounts.Scientist);
        var datasetName = UniqueName("churn");
        var experiment = UniqueName("churn-compare");
        await (await new DatasetsPage(page).GotoAsync()).UploadAsync(datasetName, "churn.csv", new ChurnCsvBuilder().WithRows(800).WithSeed(31).Build());
        var weak = await TrainChurnAsync(page, experiment, datasetName, iterations: 2, learningRate: 0.02);
        var strong = await TrainChurnAsync(page, experiment, datasetName, iterations: 60, learningRate: 0.1);
        var run = await new RunPage(page).GotoAsync(weak);
        await Expect(run.Status).ToHaveTextAsync("Succeeded", TrainingWait);
        await run.GotoAsync(strong);
        await Expect(run.Status).ToHaveTextAsync("Succeeded", TrainingWait);

        // Act: from the run to its experiment's runs, both chosen for comparison.
        await run.ExperimentLink.ClickAsync();
        var runs = await new RunsPage(page).WaitUntilInteractiveAsync();

        // Assert: the list says what each run was trained on.
        await Expect(runs.Row(weak).GetByTestId("row-dataset-link")).ToHaveTextAsync($"{datasetName} v1");

        // Act
        var compare = await runs.CompareAsync(weak, strong);

        // Assert
        await Expect(compare.Legend).ToContainTextAsync("★ best value of a metric, by its definition");
        await AssertBestMarkedAsync(compare, "logLossReduction", higherIsBetter: true);
        await AssertBestMarkedAsync(compare, "logLoss", higherIsBetter: false);
        await AssertBestMarkedAsync(compare, "areaUnderRocCurve", higherIsBetter: true);
        await Expect(compare.Table.Locator("tr[data-param='numberOfIterations']")).ToContainTextAsync("≠");
        await ScreenChecks.AssertNoENotationAsync(page, "The compare page");
        await ScreenChecks.AssertNoHorizontalOverflowAsync(page, "The compare page at 1440 px");
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await ScreenChecks.AssertNoHorizontalOverflowAsync(page, "The compare page at 390 px");
    }

    [Fact]
    public async Task ManagerAndDataProtectionOfficerAreToldWhatPortalIsForThemAndOnlyTheOfficerSeesPersonalValues()
    {
        // Arrange: a scientist's dataset with a contact e-mail column, flagged as personal data.
        var scientist = await SignedInAsync(DemoAccounts.Scientist);
        var uploaded = await (await new DatasetsPage(scientist).GotoAsync())
            .UploadAsync(UniqueName("churn"), "churn.csv", new ChurnCsvBuilder().WithRows(200).WithSeed(41).Build());
        await Expect(uploaded.PersonalDataAlert).ToContainTextAsync(ChurnCsvBuilder.PersonalDataColumn);
        var datasetAddress = new Uri(scientist.Url).PathAndQuery.TrimStart('/');

        // Act
        var manager = await SignedInAsync(DemoAccounts.Manager);

        // Assert: what the page is for, and that approvals come with the model registry.
        var managerHome = new HomePage(manager);
        await Expect(managerHome.Introductions).ToHaveCountAsync(1);
        await Expect(managerHome.Introduction("BusinessManager")).ToContainTextAsync("Read what the data scientists are doing");
        await Expect(managerHome.Introduction("BusinessManager")).ToContainTextAsync("Decide which models go into use");
        await manager.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await ScreenChecks.AssertNoHorizontalOverflowAsync(manager, "The manager's home page at 390 px");
        await manager.SetViewportSizeAsync(Desktop.Width, Desktop.Height);

        // Act
        var managersView = await new DatasetPage(manager).GotoAsync(datasetAddress);
        await managersView.ChooseColumnAsync(ChurnCsvBuilder.PersonalDataColumn);

        // Assert: the flagged column's values are withheld from the manager, in the table and the distribution.
        await Expect(managersView.SummaryOf(ChurnCsvBuilder.PersonalDataColumn)).ToHaveTextAsync("values withheld: personal data");
        await Expect(managersView.ValuesWithheld).ToBeVisibleAsync();
        await Expect(manager.Locator("body")).Not.ToContainTextAsync("@example.org");
        await Expect(managersView.PersonalDataAlert).ToContainTextAsync("so they are hidden here");

        // Act
        var officer = await SignedInAsync(DemoAccounts.DataProtectionOfficer);

        // Assert
        var officerHome = new HomePage(officer);
        await Expect(officerHome.Introduction("DataProtectionOfficer")).ToContainTextAsync("Watch personal data");
        await Expect(officerHome.Introduction("DataProtectionOfficer")).ToContainTextAsync("you classify each column");

        // Act
        var officersView = await new DatasetPage(officer).GotoAsync(datasetAddress);

        // Assert: the officer sees the values the manager may not.
        await Expect(officersView.SummaryOf(ChurnCsvBuilder.PersonalDataColumn)).ToContainTextAsync("@example.org");
        await Expect(officersView.PersonalDataAlert).Not.ToContainTextAsync("hidden here");
        await Expect(officersView.ValuesWithheld).ToHaveCountAsync(0);
    }

    /// <summary>Exactly one value cell of the metric's row carries ★, and it holds the best value by the metric's direction.</summary>
    private async Task AssertBestMarkedAsync(RunComparePage compare, string metric, bool higherIsBetter)
    {
        var cells = compare.MetricCells(metric);
        await Expect(cells).ToHaveCountAsync(2);
        var texts = await cells.AllInnerTextsAsync();
        output.WriteLine($"{metric}: {string.Join(" | ", texts)}");
        var values = texts.Select(t => double.Parse(t.Replace("★", "", StringComparison.Ordinal).Trim().Replace('−', '-'), CultureInfo.InvariantCulture)).ToList();
        Assert.NotEqual(values[0], values[1]);
        var best = higherIsBetter ? values.IndexOf(values.Max()) : values.IndexOf(values.Min());
        Assert.True(texts[best].Contains('★', StringComparison.Ordinal), $"{metric}: the best value {values[best]} should carry ★; the cells read {string.Join(" | ", texts)}.");
        Assert.False(texts[1 - best].Contains('★', StringComparison.Ordinal), $"{metric}: the worse value {values[1 - best]} carries ★.");
    }

    /// <summary>Starts a LightGbm run on the churn label through the form; returns the run's id once its page opens.</summary>
    private static async Task<Guid> TrainChurnAsync(IPage page, string experiment, string datasetName, int iterations, double learningRate)
    {
        var form = await new NewRunPage(page).GotoAsync();
        await form.NameExperimentAsync(experiment);
        await form.ChooseDatasetAsync(datasetName);
        await form.ChooseLabelAsync(ChurnCsvBuilder.Label);
        await Expect(form.Task).ToContainTextAsync(new Regex(@"\bbinary\b", RegexOptions.IgnoreCase));
        await form.SetHyperparameterAsync("numberOfIterations", iterations);
        await form.SetHyperparameterAsync("learningRate", learningRate);
        return (await form.StartTrainingAsync()).RunId;
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
