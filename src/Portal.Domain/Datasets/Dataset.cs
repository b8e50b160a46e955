namespace Portal.Domain.Datasets;

/// <summary>A named dataset; its content lives in immutable, numbered versions.</summary>
public sealed class Dataset
{
    public const int MaxNameLength = 128;

    private Dataset()
    {
    }

    public DatasetId Id { get; private set; }

    public string Name { get; private set; } = "";

    public string CreatedBy { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    public int LatestVersion { get; private set; }

    public static Dataset Create(string name, string createdBy, DateTimeOffset now) => new()
    {
        Id = DatasetId.New(now),
        Name = name,
        CreatedBy = createdBy,
        CreatedUtc = now.UtcDateTime,
    };

    /// <summary>Reserves the next version number.</summary>
    public int NextVersion() => ++LatestVersion;
}
