using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data.Metrics;
using Portal.Domain.Runs;

namespace Portal.Data.Sqlite;

/// <summary>
/// SQLite: one statement for the whole batch, <c>INSERT ... SELECT FROM json_each(@rows)</c> (ADR 0005). The rows
/// travel as one JSON array parameter that SQLite unpacks, so the per-row cost is SQLite's own B-tree work instead of
/// Microsoft.Data.Sqlite's per-statement and per-parameter binding (measured: docs/benchmarks.md). Doubles round-trip
/// exactly through the shortest round-trip form System.Text.Json writes (a test logs awkward values and reads them back).
/// </summary>
public sealed class SqliteMetricBatchWriter : MetricBatchWriter
{
    /// <summary>The text form EF Core's SQLite provider stores and compares DateTime values in.</summary>
    internal const string SqliteDateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    protected override async Task InsertAsync(PortalDbContext db, MetricTable table, RunId runId, IReadOnlyList<RunMetric> rows, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(rows.Count * 80);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var m in rows)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(m.Key);
                writer.WriteNumberValue(m.Value);
                writer.WriteNumberValue(m.Step);
                writer.WriteStringValue(m.TimestampUtc.ToString(SqliteDateTimeFormat, CultureInfo.InvariantCulture));
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.Parameters.Add(table.Mappings[0].CreateParameter(command, "@r", runId, nullable: false));
        var json = command.CreateParameter();
        json.ParameterName = "@rows";
        json.Value = Encoding.UTF8.GetString(buffer.WrittenSpan);
        command.Parameters.Add(json);
        command.CommandText = table.InsertPrefix + "SELECT @r, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM json_each(@rows) AS j";
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken);
        if (inserted != rows.Count)
        {
            throw new InvalidOperationException($"Inserted {inserted} metric rows of {rows.Count}.");
        }
    }
}
