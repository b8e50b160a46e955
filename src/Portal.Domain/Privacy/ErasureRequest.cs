using Portal.Domain.Datasets;
using Portal.Domain.Registry;

namespace Portal.Domain.Privacy;

/// <summary>
/// The DPO marked dataset versions for erasure: for a data subject (found by the keyed hash of a value in a key column,
/// never the raw value), or a whole dataset version. It records what was affected when it was made, so that the
/// "retrain required" tasks of the affected models can be traced back to it.
/// </summary>
public sealed class ErasureRequest
{
    public const int MaxReasonLength = 2000;

    private ErasureRequest()
    {
    }

    public ErasureRequestId Id { get; private set; }

    /// <summary>The key column searched; null when whole dataset versions were marked.</summary>
    public string? KeyColumn { get; private set; }

    /// <summary>Hex of the keyed hash of the subject's key value (never the value itself); null for whole versions.</summary>
    public string? KeyHash { get; private set; }

    public string Reason { get; private set; } = "";

    public IReadOnlyList<DatasetVersionId> DatasetVersionIds { get; private set; } = [];

    public IReadOnlyList<ModelVersionId> AffectedModelVersionIds { get; private set; } = [];

    public string RequestedBy { get; private set; } = "";

    public string RequestedByName { get; private set; } = "";

    public DateTime RequestedUtc { get; private set; }

    public static ErasureRequest Create(ErasureRequestId id, string? keyColumn, string? keyHash, string reason,
        IEnumerable<DatasetVersionId> datasetVersionIds, IEnumerable<ModelVersionId> affectedModelVersionIds,
        string requestedBy, string requestedByName, DateTimeOffset now) => new()
    {
        Id = id,
        KeyColumn = keyColumn,
        KeyHash = keyHash,
        Reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason,
        DatasetVersionIds = [.. datasetVersionIds.Distinct()],
        AffectedModelVersionIds = [.. affectedModelVersionIds.Distinct()],
        RequestedBy = requestedBy,
        RequestedByName = requestedByName,
        RequestedUtc = now.UtcDateTime,
    };
}
