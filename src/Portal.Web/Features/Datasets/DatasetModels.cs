using System.Text.Json.Serialization;
using Portal.Application.Datasets;
using Portal.Domain.Datasets;
using Portal.Domain.Privacy;

namespace Portal.Web.Features.Datasets;

/// <summary>A column with the detector's suspicion and the DPO's classification: whether it is a sensitive attribute, who classified it and when.</summary>
public sealed record DatasetColumnDto(int Ordinal, string Name, ColumnType Type, bool PersonalDataSuspected, string? SuspicionReason,
    [property: JsonConverter(typeof(JsonStringEnumConverter))] DataClassification Classification, bool Sensitive, string? ClassifiedBy, DateTime? ClassifiedUtc)
{
    /// <summary>Why the column is processed, as the DPO recorded it.</summary>
    public string? Purpose { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public LegalBasis LegalBasis { get; init; }

    /// <summary>Days a version may keep the column after its upload; null: no limit recorded.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>The version the classification was carried from at upload; null when decided on this version.</summary>
    public int? CarriedFromVersion { get; init; }

    /// <summary>Added or retyped since the previous version (then left unclassified), or neither.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ColumnChangeSincePrevious ChangeSincePrevious { get; init; }

    /// <summary>Personal data (special category included), or suspected personal data nobody has classified yet: its values are withheld from most readers.</summary>
    public bool HoldsPersonalData => Classification is DataClassification.Personal or DataClassification.SpecialCategory
        || (Classification == DataClassification.Unclassified && PersonalDataSuspected);

    [JsonIgnore]
    public ColumnProtection Protection => new(Purpose, LegalBasis, RetentionDays);

    public static DatasetColumnDto From(DatasetColumn c) =>
        new(c.Ordinal, c.Name, c.Type, c.PersonalDataSuspected, c.SuspicionReason, c.Classification, c.Sensitive, c.ClassifiedByName, c.ClassifiedUtc)
        {
            Purpose = c.Purpose,
            LegalBasis = c.LegalBasis,
            RetentionDays = c.RetentionDays,
            CarriedFromVersion = c.CarriedFromVersion,
            ChangeSincePrevious = c.ChangeSincePrevious,
        };

    /// <summary>This column after a classification was saved (<paramref name="saved"/> is the same column as it now is).</summary>
    public DatasetColumnDto With(ClassifiedColumn saved) =>
        this with
        {
            Classification = saved.Classification,
            Sensitive = saved.Sensitive,
            ClassifiedBy = saved.ClassifiedByName,
            ClassifiedUtc = saved.ClassifiedUtc,
            Purpose = saved.Protection.Purpose,
            LegalBasis = saved.Protection.LegalBasis,
            RetentionDays = saved.Protection.RetentionDays,
            CarriedFromVersion = saved.CarriedFromVersion,
        };
}

/// <summary>
/// Body of <c>PUT /api/datasets/{id}/versions/{version}/columns/{column}/classification</c>. Without
/// <see cref="Protection"/> the purpose, legal basis and retention recorded stay as they are; with it they are replaced
/// (a null field clears it).
/// </summary>
public sealed record ClassifyColumnRequest(string? Classification, bool? Sensitive, ColumnProtectionRequest? Protection = null)
{
    /// <summary>The classification by name (not by number, any case), or null when it is not one a DPO may set.</summary>
    public DataClassification? ParsedClassification() => ColumnClassificationRules.Parse(Classification);
}

/// <summary>The DPO's purpose, legal basis (by name, e.g. <c>Contract</c> or <c>ExplicitConsent</c>) and retention in days of a column.</summary>
public sealed record ColumnProtectionRequest(string? Purpose, string? LegalBasis, int? RetentionDays);

/// <summary>What an upload answers: <c>{ datasetId, name, version, sha256, rows, columns }</c>; <see cref="Created"/> is false when identical content already existed.</summary>
public sealed record DatasetVersionDto(DatasetId DatasetId, DatasetVersionId VersionId, string Name, int Version, string Sha256, long SizeBytes, long Rows,
    IReadOnlyList<DatasetColumnDto> Columns, string UploadedBy, DateTime CreatedUtc, bool Created);

public sealed record DatasetRow(DatasetId Id, string Name, int LatestVersion, long Rows, int Columns, int SuspectedPersonalColumns, DateTime UpdatedUtc);

/// <summary>A version in the dataset's list; <see cref="PurgedUtc"/> is set once the DPO purged its content (metadata and hashes stay).</summary>
public sealed record DatasetVersionSummary(DatasetVersionId VersionId, int Version, string Sha256, long Rows, int Columns, long SizeBytes, string UploadedBy, DateTime CreatedUtc,
    DateTime? PurgedUtc = null, string? PurgedBy = null, string? PurgeReason = null);
