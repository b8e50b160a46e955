using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Web.Features.DataProtection;

/// <summary>A column waiting for the DPO: unclassified, and whether it is new or retyped since the previous version or looks like personal data.</summary>
public sealed record TodoColumn(string Name, ColumnChangeSincePrevious Change, bool PersonalDataSuspected);

/// <summary>One dataset version with columns waiting for the DPO.</summary>
public sealed record TodoGroup(DatasetId DatasetId, string Dataset, int Version, DateTime UploadedUtc, IReadOnlyList<TodoColumn> Columns)
{
    public string Href => $"datasets/{DatasetId}?version={Version}";
}

/// <summary>
/// A dataset version under a retention period: when it ends (upload plus the shortest retention of its personal columns),
/// whether the retention alert was raised, and whether its content was purged.
/// </summary>
public sealed record RetentionRow(DatasetId DatasetId, string Dataset, int Version, DateTime UploadedUtc, int? RetentionDays, DateTime? DueUtc,
    DateTime? ExpiredUtc, bool Purged)
{
    public string Href => $"datasets/{DatasetId}?version={Version}";

    public bool IsExpired(DateTime nowUtc) => ExpiredUtc is not null || (DueUtc is { } due && due <= nowUtc);
}

/// <summary>A personal column of a dataset version in the personal-data map: its category (unclassified means suspected).</summary>
public sealed record MapColumn(string Name, DataClassification Classification);

public sealed record MapRun(RunId Id, RunStatus Status, string SubmittedBy);

/// <summary>A model version trained on personal data; live when in production or the canary of an active rollout.</summary>
public sealed record MapModelVersion(string Model, int Number, ModelStage Stage, RunId RunId, bool InActiveRollout)
{
    public bool Live => Stage == ModelStage.Production || InActiveRollout;

    public string Href => $"models/{Uri.EscapeDataString(Model)}/versions/{Number}";
}

public sealed record MapPromotion(PromotionRequestId Id, string Model, int Number, ModelStage TargetStage, PromotionStatus Status);

/// <summary>A dataset version holding personal data, and everything downstream of it: runs, model versions, promotions, live deployments.</summary>
public sealed record PersonalDataEntry(
    DatasetId DatasetId,
    DatasetVersionId VersionId,
    string Dataset,
    int Version,
    bool Purged,
    IReadOnlyList<MapColumn> Columns,
    IReadOnlyList<MapRun> Runs,
    IReadOnlyList<MapModelVersion> ModelVersions,
    IReadOnlyList<MapPromotion> Promotions)
{
    public string Href => $"datasets/{DatasetId}?version={Version}";
}
