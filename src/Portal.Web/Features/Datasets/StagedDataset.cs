using Portal.Data.Artifacts;
using Portal.Domain.Datasets;

namespace Portal.Web.Features.Datasets;

/// <summary>An analysed upload in the store's staging area; disposing it without saving discards the file.</summary>
public sealed class StagedDataset(StagedBlob blob, DatasetAnalysis analysis) : IDisposable
{
    internal StagedBlob Blob { get; } = blob;

    internal DatasetAnalysis Analysis { get; } = analysis;

    public void Dispose() => Blob.Dispose();
}
