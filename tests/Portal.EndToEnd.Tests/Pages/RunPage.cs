using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>One run at /runs/{id}: status, live learning curve, metrics, diagnostics.</summary>
public sealed partial class RunPage(IPage page)
{
    // Records every text the curve caption shows, in the browser as the DOM changes, so no render between two
    // polls is missed. It lives in the page's window, so a page reload would lose it.
    private const string RecordCurveCaptions =
        """
        () => {
            window.__portalE2eCurveCaptions = [];
            const record = () => {
                const caption = document.querySelector('[data-testid=curve-points]');
                const captions = window.__portalE2eCurveCaptions;
                const text = caption === null ? '' : caption.textContent;
                if (captions.length === 0 || captions[captions.length - 1] !== text) {
                    captions.push(text);
                }
            };
            record();
            new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true });
        }
        """;

    public ILocator Status => page.GetByTestId("run-status");

    public ILocator CurveChart => page.GetByTestId("curve-chart");

    public ILocator CurvePoints => page.GetByTestId("curve-points");

    public ILocator Metrics => page.GetByTestId("run-metrics");

    public ILocator Diagnostics => page.GetByTestId("diagnostics");

    public ILocator FailureReason => page.GetByTestId("failure-reason");

    /// <summary>
    /// Starts recording, in the browser, each caption the learning curve shows from now on, including on pages the
    /// window navigates to without a reload (the new-run form opening its run).
    /// </summary>
    public async Task StartRecordingCurveCaptionsAsync() => await page.EvaluateAsync(RecordCurveCaptions);

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
