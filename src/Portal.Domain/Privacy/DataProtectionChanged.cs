using Portal.Domain.Datasets;
using Portal.Domain.Live;

namespace Portal.Domain.Privacy;

/// <summary>What changed in the DPO's workspace.</summary>
public enum DataProtectionChange
{
    Classified,
    VersionUploaded,
    RetentionExpired,
    MarkedForErasure,
    Purged,
}

/// <summary>
/// Something the DPO's to-do list, retention alerts or personal-data map show changed. Published on
/// <see cref="LiveTopics.DataProtection"/> in the same transaction as the change.
/// </summary>
public sealed record DataProtectionChanged(
    string Topic,
    DataProtectionChange Change,
    DatasetId DatasetId,
    DatasetVersionId? DatasetVersionId,
    string Summary) : ILiveEvent;
