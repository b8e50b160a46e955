using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>How a user drives MudBlazor inputs whose data-testid MudBlazor may put on the input itself or on a wrapper.</summary>
public static class MudControls
{
    /// <summary>The text input of a MudTextField (a textarea when it has lines) or MudNumericField.</summary>
    public static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input").First;

    /// <summary>Types a value and leaves the field, because MudBlazor fields commit their value on change (blur).</summary>
    public static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = Input(page, testId);
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    /// <summary>Opens a MudSelect, clicks the option containing <paramref name="optionText"/> and waits until the select shows it.</summary>
    public static async Task SelectAsync(IPage page, string testId, string optionText)
    {
        // MudSelect moves its data-testid: a disabled or empty select is an <input role=combobox>, one showing a
        // value is a <div role=combobox> beside a hidden <input> that no longer carries it. Playwright keeps
        // retrying the element it resolved first, so the locator matches only an enabled, visible combobox (a
        // select enabled by an earlier choice becomes so only once the server has handled that choice).
        var select = page.Locator($"[data-testid='{testId}'][role=combobox]:not([disabled]):visible");
        await select.ClickAsync();
        // MudBlazor renders the open list in a popover at the end of the body, not inside the select.
        var option = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = optionText }).First;
        await option.ClickAsync();
        await Expect(select).ToContainTextAsync(optionText);
    }
}
