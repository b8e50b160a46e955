using Portal.Domain.Datasets;

namespace Portal.Domain.Privacy;

/// <summary>
/// The erasure index of one column of a dataset version: a file of the sorted, truncated keyed hashes (HMAC-SHA256 under
/// a key kept outside the database) of the column's values, built at upload. A lookup hashes the searched value once and
/// binary-searches each file; the file cannot give back the values without the key. This row says that it exists, under
/// which key and how many distinct values it holds.
/// </summary>
public sealed class DatasetSubjectIndex
{
    private DatasetSubjectIndex()
    {
    }

    public DatasetVersionId DatasetVersionId { get; private set; }

    public int Ordinal { get; private set; }

    public string ColumnName { get; private set; } = "";

    /// <summary>Identifies the hashing key (a fingerprint of it, not the key), so a rotated key is noticed.</summary>
    public string KeyId { get; private set; } = "";

    public long DistinctValues { get; private set; }

    /// <summary>The index file's path relative to the artifact root.</summary>
    public string RelativePath { get; private set; } = "";

    public DateTime BuiltUtc { get; private set; }

    public static DatasetSubjectIndex Create(DatasetVersionId versionId, int ordinal, string columnName, string keyId, long distinctValues,
        string relativePath, DateTimeOffset now) => new()
    {
        DatasetVersionId = versionId,
        Ordinal = ordinal,
        ColumnName = columnName,
        KeyId = keyId,
        DistinctValues = distinctValues,
        RelativePath = relativePath,
        BuiltUtc = now.UtcDateTime,
    };
}
