using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>One run at /runs/{id}: status, live learning curve, metrics, diagnostics.</summary>
public sealed partial class RunPage(IPage page)
{
    // Records every text the curve caption shows, and every (status, caption) pair the page shows, in the browser as
    // the DOM changes, so no render between two polls is missed. It lives in the page's window, so a page reload
    // would lose it. It observes the document (not its body) so that it can also run before the page has a body.
    private const string RecordCurveCaptions =
        """
        () => {
            window.__portalE2eCurveCaptions = [];
            window.__portalE2eCurveFrames = [];
            const textOf = selector => {
                const element = document.querySelector(selector);
                return element === null ? '' : element.textContent.trim();
            };
            const record = () => {
                const caption = textOf('[data-testid=curve-points]');
                const status = textOf('[data-testid=run-status]');
                const captions = window.__portalE2eCurveCaptions;
                if (captions.length === 0 || captions[captions.length - 1] !== caption) {
                    captions.push(caption);
                }
                const frames = window.__portalE2eCurveFrames;
                const last = frames[frames.length - 1];
                if (last === undefined || last[0] !== status || last[1] !== caption) {
                    frames.push([status, caption]);
                }
            };
            record();
            new MutationObserver(record).observe(document, { childList: true, subtree: true, characterData: true });
        }
        """;

    // Each drawn series as [key, the polyline's points]: the exact points on screen, in chart coordinates.
    private const string DrawnSeries =
        """
        () => Array.from(document.querySelectorAll('[data-testid=curve-chart] polyline'))
            .map(line => [line.querySelector('title').textContent, line.getAttribute('points')])
        """;

    public ILocator Status => page.GetByTestId("run-status");

    public ILocator CurveChart => page.GetByTestId("curve-chart");

    public ILocator CurvePoints => page.GetByTestId("curve-points");

    public ILocator Metrics => page.GetByTestId("run-metrics");

    public ILocator Diagnostics => page.GetByTestId("diagnostics");

    public ILocator FailureReason => page.GetByTestId("failure-reason");

    public ILocator Log => page.GetByTestId("run-log");

    /// <summary>"penguins v1": the dataset and version the run was trained on, linking to that version's page.</summary>
    public ILocator DatasetLink => page.GetByTestId("run-dataset-link");

    /// <summary>The experiment's name, linking to the run list of that experiment.</summary>
    public ILocator ExperimentLink => page.GetByTestId("run-experiment-link");

    /// <summary>What the curve's steps are and why it ends where it does.</summary>
    public ILocator Steps => page.GetByTestId("run-steps");

    public ILocator ConfusionMatrix => page.GetByTestId("confusion-matrix");

    public ILocator PerClassMetrics => page.GetByTestId("per-class-metrics");

    public ILocator DownloadModel => page.GetByTestId("download-model");

    /// <summary>Each diagnostic's evidence, as key/value text.</summary>
    public ILocator DiagnosticEvidence => page.GetByTestId("diagnostic-evidence");

    /// <summary>One legend entry per drawn curve: "validation.logLoss (last 0.4512)".</summary>
    public ILocator CurveLegend => page.Locator(".portal-curve-legend");

    /// <summary>The run this page shows, from its address.</summary>
    public Guid RunId => Guid.Parse(new Uri(page.Url).Segments[^1]);

    /// <summary>Opens the run's page and waits until its circuit is live, so it receives the run's changes from then on.</summary>
    public async Task<RunPage> GotoAsync(Guid runId)
    {
        await page.GotoAsync($"runs/{runId}");
        await new AppShell(page).WaitUntilInteractiveAsync();
        return this;
    }

    /// <summary>
    /// Starts recording, in the browser, each caption the learning curve shows from now on, including on pages the
    /// window navigates to without a reload (the new-run form opening its run).
    /// </summary>
    public async Task StartRecordingCurveCaptionsAsync() => await page.EvaluateAsync(RecordCurveCaptions);

    /// <summary>
    /// Records as <see cref="StartRecordingCurveCaptionsAsync"/> does, but in every document this window loads from
    /// now on, from its very start: call it before the first navigation to the run page.
    /// </summary>
    public async Task RecordCurveCaptionsFromEveryLoadAsync() => await page.AddInitScriptAsync($"({RecordCurveCaptions})()");

    /// <summary>
    /// Each change of the run's status or curve caption since recording started, as (status, caption), in order;
    /// null if the page was reloaded since.
    /// </summary>
    public async Task<IReadOnlyList<(string Status, string Caption)>?> RecordedCurveFramesAsync()
    {
        var frames = await page.EvaluateAsync<string[][]?>("() => window.__portalE2eCurveFrames ?? null");
        return frames?.Select(f => (f[0], f[1])).ToList();
    }

    /// <summary>The curves on screen now: key → the polyline's points attribute.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DrawnSeriesAsync() =>
        (await page.EvaluateAsync<string[][]>(DrawnSeries)).ToDictionary(s => s[0], s => s[1]);

    /// <summary>The captions recorded since <see cref="StartRecordingCurveCaptionsAsync"/>; null if the page was reloaded since.</summary>
    public async Task<string[]?> RecordedCurveCaptionsAsync() =>
        await page.EvaluateAsync<string[]?>("() => window.__portalE2eCurveCaptions ?? null");

    /// <summary>The number of points a curve caption ("122 points over 61 steps") reports; 0 for no caption.</summary>
    public static int PointCountIn(string caption)
    {
        var match = PointCount().Match(caption);
        return match.Success ? int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^([\d,]+) points")]
    private static partial Regex PointCount();
}
