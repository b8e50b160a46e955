using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>Checks of what a whole page shows a user: nothing wider than the window, numbers written for people.</summary>
public static partial class ScreenChecks
{
    // Layout settles after a resize (MudBlazor's breakpoint listener re-renders): the check waits for it this long.
    private const float SettleMs = 5_000;

    private const string FitsTheWindow = "() => document.documentElement.scrollWidth <= window.innerWidth";

    // The elements reaching furthest past the window's right edge, to name the culprit when the page is too wide.
    private const string WidestElements =
        """
        () => {
            // The layout's width: the window less a classic vertical scrollbar, if any.
            const width = document.documentElement.clientWidth;
            const describe = e => e.tagName.toLowerCase() + (e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : '')
                + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).slice(0, 3).join('.') : '');
            const wide = Array.from(document.body.querySelectorAll('*'))
                .map(e => [e, e.getBoundingClientRect().right])
                .filter(([, right]) => right > width + 1)
                .sort((a, b) => b[1] - a[1])
                .slice(0, 5)
                .map(([e, right]) => `${describe(e)} reaches ${Math.round(right)} px: "${(e.textContent || '').trim().slice(0, 60)}"`);
            // Elements that spill past their own box without scrolling it, and where that spill ends (pseudo-elements,
            // SVG content and text do not show in the rectangles above).
            const spilling = Array.from(document.querySelectorAll('*'))
                .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.clientWidth > 0)
                .slice(-5)
                .map(e => `${describe(e)} holds ${e.scrollWidth} px in ${e.clientWidth} px`);
            return `page ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window (${width} px of layout); ` + wide.join('; ') + (spilling.length ? '; spilling: ' + spilling.join('; ') : '');
        }
        """;

    // Every text node a user can read (not scripts or styles), including the labels of SVG charts.
    private const string VisibleText =
        """
        () => {
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
                acceptNode: n => ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(n.parentElement?.tagName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
            });
            const texts = [];
            while (walker.nextNode()) {
                texts.push(walker.currentNode.nodeValue);
            }
            return texts.join(' ');
        }
        """;

    /// <summary>Fails, naming the widest elements, unless the page needs no horizontal scrolling at its current width.</summary>
    public static async Task AssertNoHorizontalOverflowAsync(IPage page, string where)
    {
        try
        {
            await page.WaitForFunctionAsync(FitsTheWindow, null, new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = SettleMs });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{where}: the page scrolls sideways: {await page.EvaluateAsync<string>(WidestElements)}");
        }
    }

    /// <summary>Fails, quoting them, if the page shows a number in E-notation (2.7E+03, 1E-06) anywhere, charts included.</summary>
    public static async Task AssertNoENotationAsync(IPage page, string where)
    {
        var text = await page.EvaluateAsync<string>(VisibleText);
        var found = ENotation().Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(found.Count == 0, $"{where} shows numbers in E-notation: {string.Join(", ", found)}");
    }

    // .NET's "G"/"E" formats write an upper-case E and a sign; hashes and ids on the page are lower-case hex.
    [GeneratedRegex(@"\d(?:\.\d+)?E[+-]\d+")]
    private static partial Regex ENotation();
}
