using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The dataset list at /datasets with its CSV upload panel.</summary>
public sealed partial class DatasetsPage(IPage page)
{
    public const string Path = "datasets";

    private const string NameTestId = "dataset-name";

    private const string FileInputSelector = "[data-testid=dropzone] input[type=file]";

    public ILocator UploadError => page.GetByTestId("upload-error");

    private ILocator FileInput => page.Locator(FileInputSelector);

    public async Task<DatasetsPage> GotoAsync()
    {
        await page.GotoAsync(Path);
        await new AppShell(page).WaitUntilInteractiveAsync();
        return this;
    }

    /// <summary>Names the dataset and chooses the file, as a user does; the upload starts when the file is chosen.</summary>
    public async Task<DatasetPage> UploadAsync(string name, string fileName, byte[] csv)
    {
        await BlazorCircuit.WaitForInputFileAsync(page, FileInputSelector);
        await MudControls.FillAsync(page, NameTestId, name);
        await FileInput.SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "text/csv", Buffer = csv });
        await page.WaitForURLAsync(DatasetVersionUrl(), new() { WaitUntil = WaitUntilState.Commit });
        return new DatasetPage(page);
    }

    /// <summary>Types into the name field and stays there (no Tab, no click elsewhere), as a user who drops the file next does.</summary>
    public Task TypeNameWithoutLeavingAsync(string name) => MudControls.Input(page, NameTestId).FillAsync(name);

    /// <summary>Chooses a file in the drop zone once its input listens; the upload starts at once.</summary>
    public async Task ChooseFileAsync(string fileName, byte[] csv)
    {
        await BlazorCircuit.WaitForInputFileAsync(page, FileInputSelector);
        await FileInput.SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "text/csv", Buffer = csv });
    }

    /// <summary>Waits for the browser to land on the uploaded version's page.</summary>
    public async Task<DatasetPage> WaitForDatasetPageAsync()
    {
        await page.WaitForURLAsync(DatasetVersionUrl(), new() { WaitUntil = WaitUntilState.Commit });
        return new DatasetPage(page);
    }

    [GeneratedRegex(@"/datasets/[0-9a-f-]{36}\?version=\d+$")]
    private static partial Regex DatasetVersionUrl();
}
