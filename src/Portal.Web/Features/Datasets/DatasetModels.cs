using System.Text.Json.Serialization;
using Portal.Application.Datasets;
using Portal.Domain.Datasets;

namespace Portal.Web.Features.Datasets;

/// <summary>A column with the detector's suspicion and the DPO's classification: whether it is a sensitive attribute, who classified it and when.</summary>
public sealed record DatasetColumnDto(int Ordinal, string Name, ColumnType Type, bool PersonalDataSuspected, string? SuspicionReason,
    [property: JsonConverter(typeof(JsonStringEnumConverter))] DataClassification Classification, bool Sensitive, string? ClassifiedBy, DateTime? ClassifiedUtc)
{
    public static DatasetColumnDto From(DatasetColumn c) =>
        new(c.Ordinal, c.Name, c.Type, c.PersonalDataSuspected, c.SuspicionReason, c.Classification, c.Sensitive, c.ClassifiedByName, c.ClassifiedUtc);

    /// <summary>This column after a classification was saved (<paramref name="saved"/> is the same column as it now is).</summary>
    public DatasetColumnDto With(ClassifiedColumn saved) =>
        this with { Classification = saved.Classification, Sensitive = saved.Sensitive, ClassifiedBy = saved.ClassifiedByName, ClassifiedUtc = saved.ClassifiedUtc };
}

/// <summary>Body of <c>PUT /api/datasets/{id}/versions/{version}/columns/{column}/classification</c>.</summary>
public sealed record ClassifyColumnRequest(string? Classification, bool? Sensitive)
{
    /// <summary>The classification by name (not by number, any case), or null when it is not one a DPO may set.</summary>
    public DataClassification? ParsedClassification() => ColumnClassificationRules.Parse(Classification);
}

/// <summary>What an upload answers: <c>{ datasetId, name, version, sha256, rows, columns }</c>; <see cref="Created"/> is false when identical content already existed.</summary>
public sealed record DatasetVersionDto(DatasetId DatasetId, DatasetVersionId VersionId, string Name, int Version, string Sha256, long SizeBytes, long Rows,
    IReadOnlyList<DatasetColumnDto> Columns, string UploadedBy, DateTime CreatedUtc, bool Created);

public sealed record DatasetRow(DatasetId Id, string Name, int LatestVersion, long Rows, int Columns, int SuspectedPersonalColumns, DateTime UpdatedUtc);

/// <summary>A version in the dataset's list; <see cref="PurgedUtc"/> is set once the DPO purged its content (metadata and hashes stay).</summary>
public sealed record DatasetVersionSummary(DatasetVersionId VersionId, int Version, string Sha256, long Rows, int Columns, long SizeBytes, string UploadedBy, DateTime CreatedUtc,
    DateTime? PurgedUtc = null, string? PurgedBy = null, string? PurgeReason = null);
