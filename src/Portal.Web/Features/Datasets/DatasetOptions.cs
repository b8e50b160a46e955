using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Features.Datasets;

/// <summary>Dataset uploads (section <c>Datasets</c>).</summary>
public sealed class DatasetOptions
{
    public const string SectionName = "Datasets";

    /// <summary>Largest CSV accepted, in megabytes.</summary>
    [Range(1, 100_000)]
    public int MaxUploadMegabytes { get; set; } = 512;

    public long MaxUploadBytes => MaxUploadMegabytes * 1024L * 1024L;
}
