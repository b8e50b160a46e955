using System.ComponentModel.DataAnnotations;

namespace Portal.Data.Artifacts;

/// <summary>
/// Where the artifact store keeps blobs and the default upload limit. The app sets <see cref="RootDirectory"/> to
/// <c>{DataDirectory}/artifacts</c>; <see cref="MaxUploadBytes"/> binds from the <c>Artifacts</c> section.
/// </summary>
public sealed record ContentAddressedStoreOptions
{
    public const string SectionName = "Artifacts";

    public const long DefaultMaxUploadBytes = 512L * 1024 * 1024;

    /// <summary>Absolute folder; blobs live under <c>sha256/</c>, partial uploads under <c>tmp/</c>.</summary>
    [Required]
    public string RootDirectory { get; set; } = "";

    /// <summary>Largest upload accepted, in bytes (default 512 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    /// <summary>Copy buffer; the most of an upload held in memory at once.</summary>
    [Range(4096, 16 * 1024 * 1024)]
    public int BufferSize { get; set; } = 81_920;
}
