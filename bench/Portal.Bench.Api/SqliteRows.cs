using System.Globalization;

namespace Portal.Bench.Api;

/// <summary>How EF Core's SQLite provider stores the types the harness writes raw, so the app reads the rows back.</summary>
internal static class SqliteRows
{
    public static string Guid(Guid id) => id.ToString().ToUpperInvariant();

    public static string DateTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
