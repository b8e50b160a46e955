using Portal.Application.Datasets;

namespace Portal.Web.Features.Datasets;

/// <summary>An analysed upload in the store's staging area; disposing it without saving discards the file.</summary>
public sealed class StagedDataset(StagedCsv staged) : IDisposable
{
    internal StagedCsv Staged { get; } = staged;

    public void Dispose() => Staged.Dispose();
}
