namespace Portal.Domain.Datasets;

/// <summary>
/// One immutable version of a dataset: content hash (SHA-256 of the CSV bytes, also its address in the
/// artifact store), shape, schema and profile (JSON).
/// </summary>
public sealed class DatasetVersion
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

    public IReadOnlyList<ColumnSchema> Schema =>
        Columns.OrderBy(c => c.Ordinal).Select(c => new ColumnSchema(c.Ordinal, c.Name, c.Type)).ToList();
}
