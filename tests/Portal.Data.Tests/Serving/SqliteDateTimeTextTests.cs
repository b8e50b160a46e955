using System.Globalization;
using System.Text;
using Portal.Data.Sqlite;

namespace Portal.Data.Tests.Serving;

/// <summary>The prediction log's hand-written time text is byte for byte what EF Core's SQLite provider writes and compares.</summary>
public sealed class SqliteDateTimeTextTests
{
    [Fact]
    public void EveryKindOfFractionFormatsAsEfCoresSqliteText()
    {
        var random = new Random(11);
        var edges = new[] { 0L, 1, 10, 1_000_000, 1_234_500, 9_999_999, 5_000_000, 120 }
            .Select(fraction => new DateTime(2026, 12, 3, 23, 59, 59, DateTimeKind.Utc).AddTicks(fraction));
        var randomTimes = Enumerable.Range(0, 20_000).Select(_ => new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc));
        Span<byte> text = stackalloc byte[SqliteDateTimeText.MaxLength];

        foreach (var value in edges.Concat(randomTimes).Append(DateTime.MinValue).Append(DateTime.MaxValue))
        {
            var written = SqliteDateTimeText.Format(value, text);

            Assert.Equal(value.ToString(SqliteMetricBatchWriter.SqliteDateTimeFormat, CultureInfo.InvariantCulture), Encoding.UTF8.GetString(text[..written]));
        }
    }
}
