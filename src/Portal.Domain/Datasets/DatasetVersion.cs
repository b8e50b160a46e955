namespace Portal.Domain.Datasets;

/// <summary>
/// One immutable version of a dataset: content hash (SHA-256 of the CSV bytes, also its address in the
/// artifact store), shape, schema and profile (JSON).
/// </summary>
public sealed partial class DatasetVersion
{
    private DatasetVersion()
    {
    }

    public DatasetVersionId Id { get; private set; }

    public DatasetId DatasetId { get; private set; }

    public int Version { get; private set; }

    public string Sha256 { get; private set; } = "";

    public long SizeBytes { get; private set; }

    public long RowCount { get; private set; }

    public int ColumnCount { get; private set; }

    public string OriginalFileName { get; private set; } = "";

    /// <summary>Column profiles as JSON (counts, quantiles, histograms, top values, personal-data suspicion).</summary>
    public string ProfileJson { get; private set; } = "[]";

    public string UploadedBy { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    public List<DatasetColumn> Columns { get; private set; } = [];

    /// <summary>When the DPO purged the content (artifact deleted; metadata, hashes and lineage kept); null while it is there.</summary>
    public DateTime? PurgedUtc { get; private set; }

    public string? PurgedBy { get; private set; }

    public string? PurgeReason { get; private set; }

    /// <summary>When the retention alert was raised for this version (its retention period passed); null before.</summary>
    public DateTime? RetentionExpiredUtc { get; private set; }

    /// <summary>When the DPO marked the version for erasure, and by which request; null when not marked.</summary>
    public DateTime? ErasureMarkedUtc { get; private set; }

    public Privacy.ErasureRequestId? ErasureRequestId { get; private set; }

    public bool IsPurged => PurgedUtc is not null;

    public static DatasetVersion Create(DatasetId datasetId, int version, string sha256, long sizeBytes, long rowCount,
        string originalFileName, string profileJson, IEnumerable<DatasetColumn> columns, string uploadedBy, DateTimeOffset now)
    {
        var created = new DatasetVersion
        {
            Id = DatasetVersionId.New(now),
            DatasetId = datasetId,
            Version = version,
            Sha256 = sha256,
            SizeBytes = sizeBytes,
            RowCount = rowCount,
            OriginalFileName = originalFileName.Length > 256 ? originalFileName[..256] : originalFileName,
            ProfileJson = profileJson,
            UploadedBy = uploadedBy,
            CreatedUtc = now.UtcDateTime,
        };
        created.Columns.AddRange(columns);
        created.ColumnCount = created.Columns.Count;
        return created;
    }

    /// <summary>The column named <paramref name="name"/> (names are unique ignoring case, as the CSV header rule requires), or null.</summary>
    public DatasetColumn? FindColumn(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
        ?? Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Classifies the column named <paramref name="column"/> (see <see cref="DatasetColumn.Classify"/>); refused when there is none.</summary>
    public ClassificationResult Classify(string column, DataClassification classification, bool sensitive, string byUserId, string byUserName,
        IEnumerable<string> byRoles, DateTimeOffset now)
    {
        var roles = byRoles.ToList();
        if (!ColumnClassificationRules.MayClassify(roles))
        {
            return ClassificationResult.Refused(ClassificationRefusalReason.RoleRequired, ColumnClassificationRules.RoleRefusal);
        }

        return FindColumn(column) is { } found
            ? found.Classify(classification, sensitive, byUserId, byUserName, roles, now)
            : ClassificationResult.Refused(ClassificationRefusalReason.UnknownColumn,
                $"Version {Version} of this dataset has no column '{column}'; its columns are {string.Join(", ", Columns.OrderBy(c => c.Ordinal).Select(c => c.Name))}.");
    }

    /// <summary>
    /// The DPO confirms the personal-data detector's suggestions for every column nobody has classified yet: a suspected
    /// column becomes <see cref="DataClassification.Personal"/>, every other <see cref="DataClassification.NotPersonal"/>,
    /// neither sensitive. Columns already classified keep the DPO's decision. Refused for anyone but the DPO.
    /// </summary>
    public ClassificationResult ConfirmSuggestions(string byUserId, string byUserName, IEnumerable<string> byRoles, DateTimeOffset now)
    {
        if (!ColumnClassificationRules.MayClassify(byRoles))
        {
            return ClassificationResult.Refused(ClassificationRefusalReason.RoleRequired, ColumnClassificationRules.RoleRefusal);
        }

        var changes = Columns.OrderBy(c => c.Ordinal)
            .Where(c => c.Classification == DataClassification.Unclassified)
            .Select(c => c.Apply(ColumnClassificationRules.Suggestion(c.PersonalDataSuspected), false, byUserId, byUserName, now))
            .OfType<ColumnClassificationChange>()
            .ToList();
        return ClassificationResult.Done(changes);
    }

    public IReadOnlyList<ColumnSchema> Schema =>
        Columns.OrderBy(c => c.Ordinal).Select(c => new ColumnSchema(c.Ordinal, c.Name, c.Type)).ToList();
}
