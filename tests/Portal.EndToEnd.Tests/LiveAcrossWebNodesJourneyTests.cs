using System.Globalization;
using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.EndToEnd.Tests.TestData;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A run trained by a standalone worker process, watched live from two web nodes that share only the database: the
/// node it was submitted on (in-process) and a second web process. Neither node trains; every point either page
/// shows came through the live-event outbox.
/// </summary>
public sealed class LiveAcrossWebNodesJourneyTests(TwoWebNodesFixture fixture, ITestOutputHelper output) : BrowserTest(fixture), IClassFixture<TwoWebNodesFixture>
{
    private const string WorkerId = "e2e-standalone-worker";

    // Training shares two cores with two web nodes, the worker, chromium and the other builds on the machine.
    private static readonly LocatorAssertionsToHaveTextOptions TrainingWait = new() { Timeout = 90_000 };

    private TwoWebNodesFixture Nodes => (TwoWebNodesFixture)Fixture;

    [Fact]
    public async Task StandaloneWorkersRunDrawsLiveOnBothWebNodesAndEndsWithTheStoredPointsOnEach()
    {
        try
        {
            await WatchARunFromTwoWebNodesAsync();
        }
        catch
        {
            output.WriteLine("--- node B and worker output ---");
            foreach (var line in Nodes.ProcessOutput)
            {
                output.WriteLine(line);
            }

            throw;
        }
    }

    private async Task WatchARunFromTwoWebNodesAsync()
    {
        // Arrange: a run submitted on node A while no worker exists, so it waits in the queue.
        var tab1 = await SignedInScientistAsync(Fixture.App.BaseAddress);
        var datasetName = UniqueName("churn");
        await (await new DatasetsPage(tab1).GotoAsync()).UploadAsync(datasetName, "churn.csv", new ChurnCsvBuilder().WithRows(3000).WithSeed(29).Build());
        var form = await new NewRunPage(tab1).GotoAsync();
        await form.NameExperimentAsync(UniqueName("churn-two-nodes"));
        await form.ChooseDatasetAsync(datasetName);
        await form.ChooseLabelAsync(ChurnCsvBuilder.Label);
        // Enough trees that their curve points reach the pages in several pushes rather than one.
        await form.SetHyperparameterAsync("numberOfIterations", 500);
        // Record from before the click: the run page opens in the same window.
        await new RunPage(tab1).StartRecordingCurveCaptionsAsync();
        var onNodeA = await form.StartTrainingAsync();
        await Expect(onNodeA.Status).ToHaveTextAsync("Queued");

        // The same run's page on node B, recorded from the document's first byte.
        var tab2 = await SignedInScientistAsync(Nodes.NodeBAddress);
        var onNodeB = new RunPage(tab2);
        await onNodeB.RecordCurveCaptionsFromEveryLoadAsync();
        await onNodeB.GotoAsync(onNodeA.RunId);
        await Expect(onNodeB.Status).ToHaveTextAsync("Queued");

        // Act: the only worker there is starts, in its own process.
        await Nodes.StartStandaloneWorkerAsync(WorkerId);

        // Assert: both pages end Succeeded, trained by that worker.
        await Expect(onNodeA.Status).ToHaveTextAsync("Succeeded", TrainingWait);
        await Expect(onNodeB.Status).ToHaveTextAsync("Succeeded", TrainingWait);
        await Expect(onNodeA.Log).ToContainTextAsync($"Worker {WorkerId} trains");
        await Expect(onNodeB.Log).ToContainTextAsync($"Worker {WorkerId} trains");

        // Both curves grew on screen while the run was running, not only at its end.
        var framesA = await RecordedFramesAsync(onNodeA, "tab 1 (node A)");
        var framesB = await RecordedFramesAsync(onNodeB, "tab 2 (node B)");
        AssertGrewLive(framesA, "tab 1 (node A)", minimumDistinctCounts: 3);
        AssertGrewLive(framesB, "tab 2 (node B)", minimumDistinctCounts: 2);
        Assert.True(framesB.TakeWhile(f => f.Status != "Running").Any(f => f.Status == "Queued"),
            $"Tab 2 should have shown the run queued before it ran: {Describe(framesB)}");

        // Both pages end with the points the API has stored, drawn identically.
        var stored = await StoredCurvesAsync(tab1, onNodeA.RunId);
        var expectedCaption = $"{stored.Values.Sum(c => c.Count)} points over {stored.Values.SelectMany(c => c).Select(p => p.Step).Distinct().Count()} steps";
        var expectedLegend = stored.Select(c => $"{c.Key} (last {Portal.Domain.Formatting.NumberText.Format(c.Value.OrderBy(p => p.Step).Last().Value)})").ToArray();
        output.WriteLine($"Stored curves: {string.Join(", ", stored.Select(c => $"{c.Key} × {c.Value.Count}"))}; expected caption: {expectedCaption}");
        foreach (var run in new[] { onNodeA, onNodeB })
        {
            await Expect(run.CurvePoints).ToHaveTextAsync(expectedCaption);
            await Expect(run.CurveLegend).ToHaveTextAsync(expectedLegend);
            var drawn = await run.DrawnSeriesAsync();
            Assert.Equal(stored.Keys.Order(), drawn.Keys.Order());
            Assert.All(stored, c => Assert.Equal(c.Value.Count, drawn[c.Key].Split(' ').Length));
        }

        Assert.Equal(await onNodeA.DrawnSeriesAsync(), await onNodeB.DrawnSeriesAsync());
    }

    private async Task<IReadOnlyList<(string Status, string Caption)>> RecordedFramesAsync(RunPage run, string tab)
    {
        var frames = await run.RecordedCurveFramesAsync();
        Assert.NotNull(frames); // recorded in the page's window: a page reload would have lost them
        output.WriteLine($"{tab} showed: {Describe(frames)}");
        return frames;
    }

    private static void AssertGrewLive(IReadOnlyList<(string Status, string Caption)> frames, string tab, int minimumDistinctCounts)
    {
        var whileRunning = frames.Where(f => f.Status == "Running").Select(f => RunPage.PointCountIn(f.Caption)).Where(c => c > 0).Distinct().ToList();
        Assert.True(whileRunning.Count >= minimumDistinctCounts,
            $"The curve in {tab} should have grown over at least {minimumDistinctCounts} renders while the run was Running; it showed: {Describe(frames)}");
    }

    private static string Describe(IEnumerable<(string Status, string Caption)> frames) =>
        string.Join(" | ", frames.Select(f => $"{f.Status}: {(f.Caption.Length == 0 ? "-" : f.Caption)}"));

    /// <summary>The run's stored curves through the API (with the tab's cookie): key → points, for every key logged at more than one step.</summary>
    private static async Task<Dictionary<string, List<(long Step, double Value)>>> StoredCurvesAsync(IPage page, Guid runId)
    {
        var response = await page.Context.APIRequest.GetAsync($"api/runs/{runId}/metrics");
        Assert.True(response.Ok, $"GET /api/runs/{runId}/metrics answered {response.Status}");
        var body = (await response.JsonAsync())!.Value;
        return body.EnumerateObject()
            .Select(key => (key.Name, Points: key.Value.EnumerateArray().Select(p => (p.GetProperty("step").GetInt64(), p.GetProperty("value").GetDouble())).ToList()))
            .Where(c => c.Points.Select(p => p.Item1).Distinct().Count() > 1)
            .ToDictionary(c => c.Name, c => c.Points);
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private async Task<IPage> SignedInScientistAsync(Uri node)
    {
        var page = await OpenPageAsync(baseAddress: node);
        var login = await new LoginPage(page).GotoAsync();
        await login.SignInAsync(DemoAccounts.Scientist, DemoAccounts.Password);
        return page;
    }
}
