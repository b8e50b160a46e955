using System.ComponentModel.DataAnnotations;

namespace Portal.Application.Privacy;

/// <summary>
/// Section <c>DataProtection</c>: the key of the erasure index (kept outside the database), and the retention sweep.
/// <see cref="SubjectKey"/> (base64, a secret from the environment or a vault) wins over <see cref="SubjectKeyFile"/>; with neither,
/// Development generates a random key file under the data folder's <c>keys/</c>; any other environment keeps uploads unindexed and
/// answers erasure searches with 409 until a key is set. A key that is set but malformed stops the portal at start.
/// </summary>
public sealed class DataProtectionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>The erasure-index key as base64 (at least 32 bytes); a secret, never in a committed file.</summary>
    public string? SubjectKey { get; set; }

    /// <summary>A file holding the raw key bytes (at least 32); relative paths are taken from the data folder.</summary>
    public string? SubjectKeyFile { get; set; }

    /// <summary>How often the worker looks for dataset versions past their retention and versions missing an erasure index.</summary>
    [Range(1, 86_400)]
    public int SweepIntervalSeconds { get; set; } = 300;

    /// <summary>
    /// Run the sweep (retention alerts, index backfill) in this worker. Any number of workers may: an alert is claimed by a
    /// conditional update of its version, and two backfills of one version write the same files and collide on the index rows' key.
    /// </summary>
    public bool SweepEnabled { get; set; } = true;

    /// <summary>Most versions one sweep indexes (the backfill of older versions).</summary>
    [Range(1, 10_000)]
    public int BackfillBatch { get; set; } = 20;

    public TimeSpan SweepInterval => TimeSpan.FromSeconds(SweepIntervalSeconds);
}
