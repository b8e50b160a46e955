using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Datasets;

namespace Portal.Application.Datasets;

/// <summary>How a dataset version's column profiles are stored (<c>DatasetVersion.ProfileJson</c>): written at upload, read by pages and run validation.</summary>
public static class DatasetProfiles
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IReadOnlyList<ColumnProfile> Read(DatasetVersion version) =>
        JsonSerializer.Deserialize<List<ColumnProfile>>(version.ProfileJson, Json) ?? [];
}
