using Portal.Domain.Datasets;

namespace Portal.Web.Features.Datasets;

public sealed record DatasetColumnDto(int Ordinal, string Name, ColumnType Type, bool PersonalDataSuspected, string? SuspicionReason,
    DataClassification Classification);

/// <summary>What an upload answers: <c>{ datasetId, name, version, sha256, rows, columns }</c>; <see cref="Created"/> is false when identical content already existed.</summary>
public sealed record DatasetVersionDto(DatasetId DatasetId, DatasetVersionId VersionId, string Name, int Version, string Sha256, long SizeBytes, long Rows,
    IReadOnlyList<DatasetColumnDto> Columns, string UploadedBy, DateTime CreatedUtc, bool Created);

public sealed record DatasetRow(DatasetId Id, string Name, int LatestVersion, long Rows, int Columns, int SuspectedPersonalColumns, DateTime UpdatedUtc);

public sealed record DatasetVersionSummary(DatasetVersionId VersionId, int Version, string Sha256, long Rows, int Columns, long SizeBytes, string UploadedBy, DateTime CreatedUtc);
