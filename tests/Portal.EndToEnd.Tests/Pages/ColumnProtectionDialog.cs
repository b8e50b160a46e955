using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The DPO's dialog for one column of a dataset version: category, purpose, legal basis, retention.</summary>
public sealed class ColumnProtectionDialog(IPage page)
{
    private const string SaveSelector = "[data-testid=protection-save]";

    public ILocator Problem => page.GetByTestId("protection-problem");

    public ILocator Error => page.GetByTestId("dialog-error");

    /// <summary>Chooses a category by its exact label ("Personal" is also part of "Not personal").</summary>
    public async Task ChooseCategoryAsync(string label)
    {
        await page.Locator("[data-testid='protection-category'][role=combobox]:not([disabled]):visible").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item")
            .Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{label}\\s*$") }).First.ClickAsync();
    }

    /// <summary>Chooses a legal basis; in the dialog the select shows its choice as the input's value, not as text.</summary>
    public async Task ChooseLegalBasisAsync(string label)
    {
        var select = page.Locator("[data-testid='protection-legal-basis'][role=combobox]:not([disabled]):visible");
        await select.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = label }).First.ClickAsync();
        await Expect(page.Locator("input[data-testid='protection-legal-basis'], [data-testid='protection-legal-basis'] input").First).ToHaveValueAsync(label);
    }

    public Task FillPurposeAsync(string purpose) => MudControls.FillAsync(page, "protection-purpose", purpose);

    public Task FillRetentionAsync(int days) => MudControls.FillAsync(page, "protection-retention", days.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Saves with the keyboard's Enter in the retention field, and waits for the dialog to close; says what it showed when it does not.</summary>
    public async Task SaveAsync()
    {
        await MudControls.Input(page, "protection-retention").PressAsync("Enter");
        try
        {
            await Expect(page.Locator(SaveSelector)).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        }
        catch (PlaywrightException failure)
        {
            throw new InvalidOperationException($"The dialog did not close after saving. {await DescribeAsync()}", failure);
        }
    }

    /// <summary>What the dialog shows now, read without waiting for any element.</summary>
    private async Task<string> DescribeAsync()
    {
        var problem = await Problem.CountAsync() > 0 ? await Problem.First.InnerTextAsync() : "none";
        var error = await Error.CountAsync() > 0 ? await Error.First.InnerTextAsync() : "none";
        var button = page.Locator(SaveSelector);
        var buttonText = await button.CountAsync() > 0 ? $"{await button.First.InnerTextAsync()} (disabled: {await button.First.IsDisabledAsync()})" : "absent";
        var reconnecting = await page.Locator("#components-reconnect-modal:visible, .components-reconnect-show").CountAsync() > 0;
        var body = await page.EvaluateAsync<string>("() => (document.querySelector('.mud-dialog')?.innerText ?? '').replace(/\\s+/g, ' ').slice(0, 400)");
        return $"URL {page.Url}; problem: {problem}; error: {error}; button: {buttonText}; reconnecting: {reconnecting}; dialog text: {body}";
    }
}
