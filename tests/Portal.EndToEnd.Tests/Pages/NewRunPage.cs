using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The training run form at /runs/new.</summary>
public sealed partial class NewRunPage(IPage page)
{
    public const string Path = "runs/new";

    private const string SubmitSelector = "[data-testid=submit-run]";

    public ILocator SubmitError => page.GetByTestId("submit-error");

    /// <summary>The task select as it shows its value (e.g. "Multiclass").</summary>
    public ILocator Task => page.Locator("[data-testid=run-task][role=combobox]");

    /// <summary>The validation-fraction field's input.</summary>
    public ILocator ValidationFraction => MudControls.Input(page, "run-validation-fraction");

    /// <summary>The validation messages MudBlazor shows under the form's fields.</summary>
    public ILocator FieldErrors => page.Locator(".mud-input-control .mud-input-helper-text.mud-input-error");

    public async Task<NewRunPage> GotoAsync()
    {
        await page.GotoAsync(Path);
        await new AppShell(page).WaitUntilInteractiveAsync();
        await BlazorCircuit.WaitForInteractiveAsync(page, SubmitSelector);
        return this;
    }

    public Task NameExperimentAsync(string experiment) => MudControls.FillAsync(page, "run-experiment", experiment);

    public Task ChooseDatasetAsync(string datasetName) => MudControls.SelectAsync(page, "run-dataset", datasetName);

    public Task ChooseLabelAsync(string column) => MudControls.SelectAsync(page, "run-label", column);

    public Task SetValidationFractionAsync(double value) =>
        MudControls.FillAsync(page, "run-validation-fraction", value.ToString(CultureInfo.InvariantCulture));

    public Task ChooseTrainerAsync(string trainer) => MudControls.SelectAsync(page, "run-trainer", trainer);

    /// <summary>Clicks "Start training" and leaves the browser where the form put it (a refused form stays).</summary>
    public Task ClickStartTrainingAsync() => page.Locator(SubmitSelector).ClickAsync();

    public Task SetHyperparameterAsync(string name, double value) =>
        MudControls.FillAsync(page, $"hp-{name}", value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Submits the form and waits for the browser to land on the new run's page.</summary>
    /// <remarks>
    /// The wait is longer than an action's: on a loaded two-core machine the submission (a write, the audit entry,
    /// the worker's queue) and the navigation share the cores with a training run. When it still times out, the
    /// failure says what the page showed instead, so a refused form is told apart from a slow or lost circuit.
    /// </remarks>
    public async Task<RunPage> StartTrainingAsync()
    {
        await page.Locator(SubmitSelector).ClickAsync();
        try
        {
            await page.WaitForURLAsync(RunUrl(), new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"The form did not open the run page. {await DescribeAsync()}", timeout);
        }

        return new RunPage(page);
    }

    /// <summary>
    /// What the page shows now, read without waiting for any element: a describer that itself waits on the missing
    /// button hides the very thing it was meant to tell (a page that is no longer the form).
    /// </summary>
    private async Task<string> DescribeAsync()
    {
        var errors = await FieldErrors.AllInnerTextsAsync();
        var refusal = await SubmitError.CountAsync() > 0 ? await SubmitError.First.InnerTextAsync() : "none";
        var button = page.Locator(SubmitSelector);
        var buttonText = await button.CountAsync() > 0 ? await button.First.InnerTextAsync() : "absent";
        var reconnecting = await page.Locator("#components-reconnect-modal:visible, .components-reconnect-show").CountAsync() > 0;
        var circuitError = await page.Locator("#blazor-error-ui:visible").CountAsync() > 0;
        var body = await page.EvaluateAsync<string>("() => (document.body?.innerText ?? '').replace(/\\s+/g, ' ').slice(0, 400)");
        return $"URL {page.Url}; refusal: {refusal}; field errors: [{string.Join(" | ", errors)}]; button: {buttonText}; " +
               $"reconnecting: {reconnecting}; circuit error shown: {circuitError}; page text: {body}";
    }

    [GeneratedRegex(@"/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();
}
