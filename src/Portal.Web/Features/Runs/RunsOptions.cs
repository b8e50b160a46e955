using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Features.Runs;

/// <summary>Runs (section <c>Runs</c>).</summary>
public sealed class RunsOptions
{
    public const string SectionName = "Runs";

    /// <summary>Largest model file an external run may upload to <c>POST /api/runs/{id}/artifact</c>, in megabytes.</summary>
    [Range(1, 100_000)]
    public int MaxArtifactMegabytes { get; set; } = 512;

    public long MaxArtifactBytes => MaxArtifactMegabytes * 1024L * 1024L;
}
