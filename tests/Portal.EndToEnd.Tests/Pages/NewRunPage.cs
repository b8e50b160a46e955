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

    public Task SetHyperparameterAsync(string name, double value) =>
        MudControls.FillAsync(page, $"hp-{name}", value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Submits the form and waits for the browser to land on the new run's page.</summary>
    public async Task<RunPage> StartTrainingAsync()
    {
        await page.Locator(SubmitSelector).ClickAsync();
        await page.WaitForURLAsync(RunUrl());
        return new RunPage(page);
    }

    [GeneratedRegex(@"/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();
}
