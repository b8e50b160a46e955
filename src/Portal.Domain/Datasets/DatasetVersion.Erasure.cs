namespace Portal.Domain.Datasets;

/// <summary>The data protection officer's marks on a version: erasure, the retention alert, and the purge of its content.</summary>
public sealed partial class DatasetVersion
{
    /// <summary>Longest purge reason kept.</summary>
    public const int MaxPurgeReasonLength = 2000;

    /// <summary>
    /// When the version's retention passes: its upload plus the shortest retention the DPO recorded on a personal or
    /// special-category column; null when none of them has one.
    /// </summary>
    public DateTime? RetentionDueUtc =>
        Columns.Where(c => c.Classification is DataClassification.Personal or DataClassification.SpecialCategory && c.RetentionDays is not null)
            .Select(c => (int?)c.RetentionDays!.Value).Min() is { } days
            ? CreatedUtc.AddDays(days)
            : null;

    /// <summary>Marks the version for erasure by <paramref name="requestId"/>; false when it already was (the first request stays).</summary>
    public bool MarkForErasure(Privacy.ErasureRequestId requestId, DateTimeOffset now)
    {
        if (ErasureMarkedUtc is not null)
        {
            return false;
        }

        ErasureMarkedUtc = now.UtcDateTime;
        ErasureRequestId = requestId;
        return true;
    }

    /// <summary>Records that the retention alert was raised; false when it already was (the alert is raised once per version).</summary>
    public bool MarkRetentionExpired(DateTimeOffset now)
    {
        if (RetentionExpiredUtc is not null)
        {
            return false;
        }

        RetentionExpiredUtc = now.UtcDateTime;
        return true;
    }

    /// <summary>Records the purge of the content (metadata, hashes, index and lineage stay); false when it already was purged.</summary>
    public bool Purge(string byUserName, string reason, DateTimeOffset now)
    {
        if (IsPurged)
        {
            return false;
        }

        PurgedUtc = now.UtcDateTime;
        PurgedBy = byUserName;
        PurgeReason = reason.Length > MaxPurgeReasonLength ? reason[..MaxPurgeReasonLength] : reason;
        return true;
    }
}
