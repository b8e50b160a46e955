using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>Waits for the interactive (Blazor Server) circuit before a test clicks an interactive control.</summary>
public static class BlazorCircuit
{
    // Pages are prerendered: their buttons are on screen before the circuit has connected and rendered, and a
    // click on them then does nothing. blazor.web.js wires an element's @onclick by storing its handlers on the
    // element under a "_blazorEvents_<rendererId>" key, so that key existing on the element is exactly "this
    // control now reaches its .NET handler". It is checked again on every poll (not through a handle) because
    // the interactive render may replace the prerendered element. The key is an implementation detail of
    // blazor.web.js; if a future version renames it, this wait times out loudly instead of passing silently.
    private const string HasBlazorHandlers =
        """
        selector => {
            const element = document.querySelector(selector);
            return element !== null && Object.keys(element).some(key => key.startsWith('_blazorEvents_'));
        }
        """;

    /// <summary>Waits until the element matching <paramref name="cssSelector"/> has its interactive event handlers attached.</summary>
    public static async Task WaitForInteractiveAsync(IPage page, string cssSelector) =>
        await page.WaitForFunctionAsync(HasBlazorHandlers, cssSelector, new PageWaitForFunctionOptions { PollingInterval = 100 });

    // InputFile wires its change listener from JavaScript after its first interactive render (InputFile.init in
    // blazor.web.js, which also sets _blazorInputFileNextFileId): a file chosen before that is never uploaded.
    private const string InputFileIsInitialised =
        """
        selector => {
            const element = document.querySelector(selector);
            return element !== null && element._blazorInputFileNextFileId !== undefined;
        }
        """;

    /// <summary>Waits until the InputFile matching <paramref name="cssSelector"/> listens for chosen files.</summary>
    public static async Task WaitForInputFileAsync(IPage page, string cssSelector) =>
        await page.WaitForFunctionAsync(InputFileIsInitialised, cssSelector, new PageWaitForFunctionOptions { PollingInterval = 100 });
}
