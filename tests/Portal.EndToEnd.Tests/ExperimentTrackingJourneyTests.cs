using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.EndToEnd.Tests.TestData;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The experiment-tracking journey a data scientist does in the browser: upload a CSV the product never saw,
/// train a model on it, watch the learning curve draw live, read the run's diagnostics.
/// </summary>
public sealed class ExperimentTrackingJourneyTests(TrainingBrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture), IClassFixture<TrainingBrowserFixture>
{
    // Training shares two cores with Kestrel, the circuits and chromium, and the other builds on the machine.
    private static readonly LocatorAssertionsToHaveTextOptions TrainingWait = new() { Timeout = 90_000 };

    [Fact]
    public async Task UploadedCsvTrainsWhileTheRunPageDrawsItsCurveLiveAndEndsSucceededWithMetricsAndDiagnostics()
    {
        // Arrange
        var page = await SignedInScientistAsync();
        var churn = new ChurnCsvBuilder().WithRows(3000).WithSeed(17);
        var datasetName = UniqueName("churn");

        // Act
        var datasets = await new DatasetsPage(page).GotoAsync();
        var dataset = await datasets.UploadAsync(datasetName, "churn.csv", churn.Build());

        // Assert
        await Expect(dataset.Facts).ToContainTextAsync("3,000 rows · 7 columns");
        await Expect(dataset.ColumnRow(ChurnCsvBuilder.Label)).ToContainTextAsync("boolean");
        await Expect(dataset.PersonalDataAlert).ToContainTextAsync(ChurnCsvBuilder.PersonalDataColumn);

        // Arrange
        var form = await new NewRunPage(page).GotoAsync();
        await form.NameExperimentAsync(UniqueName("churn-lightgbm"));
        await form.ChooseDatasetAsync(datasetName);
        await form.ChooseLabelAsync(ChurnCsvBuilder.Label);
        // Enough trees that their curve points reach the page in several pushes rather than one.
        await form.SetHyperparameterAsync("numberOfIterations", 500);

        // Act: record from before the click (the run page opens in the same window), so a run that trains faster
        // than the navigation cannot finish unrecorded.
        await new RunPage(page).StartRecordingCurveCaptionsAsync();
        var run = await form.StartTrainingAsync();

        // Assert
        await Expect(run.Status).ToHaveTextAsync("Succeeded", TrainingWait);
        await Expect(run.CurveChart).ToBeVisibleAsync();
        var captions = await run.RecordedCurveCaptionsAsync();
        Assert.NotNull(captions); // recorded in the page's window: a page reload would have lost them
        output.WriteLine($"Curve captions shown: {string.Join(" | ", captions)}");
        var counts = captions.Select(RunPage.PointCountIn).ToList();
        Assert.True(counts.Where(c => c > 0).Distinct().Count() >= 2,
            $"The curve should grow on screen over several renders; it showed: {string.Join(" | ", captions)}");
        await Expect(run.CurvePoints).ToContainTextAsync("points over");
        await Expect(run.Metrics).ToContainTextAsync("AUC (ROC)");
        await Expect(run.Diagnostics).ToBeVisibleAsync();
        await Expect(run.Diagnostics).Not.ToContainTextAsync("None yet.");
        await Expect(run.FailureReason).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task RunWithAnAbsurdLearningRateEndsFailedWithExplodingLossInItsReasonAndDiagnostics()
    {
        // Arrange
        var page = await SignedInScientistAsync();
        var datasetName = UniqueName("churn");
        var datasets = await new DatasetsPage(page).GotoAsync();
        await datasets.UploadAsync(datasetName, "churn.csv", new ChurnCsvBuilder().WithSeed(23).Build());
        var form = await new NewRunPage(page).GotoAsync();
        await form.NameExperimentAsync(UniqueName("churn-exploding"));
        await form.ChooseDatasetAsync(datasetName);
        await form.ChooseLabelAsync(ChurnCsvBuilder.Label);
        await form.SetHyperparameterAsync("learningRate", 500);
        await form.SetHyperparameterAsync("numberOfIterations", 50);

        // Act
        var run = await form.StartTrainingAsync();

        // Assert
        await Expect(run.Status).ToHaveTextAsync("Failed", TrainingWait);
        await Expect(run.FailureReason).ToContainTextAsync("ExplodingLoss");
        await Expect(run.Diagnostics).ToContainTextAsync("ExplodingLoss");
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private async Task<IPage> SignedInScientistAsync()
    {
        var page = await OpenPageAsync();
        var login = await new LoginPage(page).GotoAsync();
        await login.SignInAsync(DemoAccounts.Scientist, DemoAccounts.Password);
        return page;
    }
}
