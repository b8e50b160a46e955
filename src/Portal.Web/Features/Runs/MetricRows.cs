using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data;
using Portal.Domain.Runs;

namespace Portal.Web.Features.Runs;

/// <summary>
/// Appends logged metric points on the context's connection, outside the change tracker: on SQLite one
/// <c>INSERT ... SELECT FROM json_each</c> per batch, elsewhere a prepared multi-row INSERT re-executed per chunk.
/// Table, column names, quoting and parameter conversion come from the EF model and the provider's type mappings,
/// so a Guid binds as SQLite's upper-case TEXT or PostgreSQL's uuid, and a DateTime as each provider stores it.
/// </summary>
internal static class MetricRows
{
    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>The text form EF Core's SQLite provider stores and compares DateTime values in.</summary>
    private const string SqliteDateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    public static async Task InsertAsync(PortalDbContext db, Guid runId, IReadOnlyList<LoggedMetric> metrics, DateTime nowUtc, CancellationToken cancellationToken)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(RunMetric))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        IProperty[] columns =
        [
            entity.FindProperty(nameof(RunMetric.RunId))!,
            entity.FindProperty(nameof(RunMetric.Key))!,
            entity.FindProperty(nameof(RunMetric.Value))!,
            entity.FindProperty(nameof(RunMetric.Step))!,
            entity.FindProperty(nameof(RunMetric.TimestampUtc))!,
        ];
        var mappings = columns.Select(c => c.GetRelationalTypeMapping()).ToArray();
        var prefix = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!))).Append(") ").ToString();
        if (db.Database.ProviderName == SqliteProvider)
        {
            await InsertFromJsonAsync(db, prefix, mappings, runId, metrics, nowUtc, cancellationToken);
        }
        else
        {
            await InsertMultiRowAsync(db, prefix, mappings, runId, metrics, nowUtc, cancellationToken);
        }
    }

    /// <summary>
    /// SQLite: one statement for the whole batch. The rows travel as one JSON array parameter that SQLite unpacks
    /// with <c>json_each</c>, so the per-row cost is SQLite's own B-tree work instead of Microsoft.Data.Sqlite's
    /// per-statement and per-parameter binding (measured: docs/benchmarks.md). Doubles round-trip exactly through
    /// the shortest round-trip form System.Text.Json writes (a test logs awkward values and reads them back).
    /// </summary>
    private static async Task InsertFromJsonAsync(PortalDbContext db, string prefix, RelationalTypeMapping[] mappings, Guid runId,
        IReadOnlyList<LoggedMetric> metrics, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(metrics.Count * 80);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var m in metrics)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(m.Key);
                writer.WriteNumberValue(m.Value!.Value);
                writer.WriteNumberValue(m.Step ?? 0L);
                var timestamp = m.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : nowUtc;
                writer.WriteStringValue(timestamp.ToString(SqliteDateTimeFormat, CultureInfo.InvariantCulture));
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.Parameters.Add(mappings[0].CreateParameter(command, "@r", runId, nullable: false));
        var rows = command.CreateParameter();
        rows.ParameterName = "@rows";
        rows.Value = Encoding.UTF8.GetString(buffer.WrittenSpan);
        command.Parameters.Add(rows);
        command.CommandText = prefix + "SELECT @r, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM json_each(@rows) AS j";
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken);
        if (inserted != metrics.Count)
        {
            throw new InvalidOperationException($"Inserted {inserted} metric rows of {metrics.Count}.");
        }
    }

    /// <summary>
    /// Other providers (PostgreSQL): a prepared multi-row INSERT, 100 rows a statement, re-executed per chunk, so a
    /// batch of 1,000 takes ten round trips.
    /// </summary>
    private static async Task InsertMultiRowAsync(PortalDbContext db, string prefix, RelationalTypeMapping[] mappings, Guid runId,
        IReadOnlyList<LoggedMetric> metrics, DateTime nowUtc, CancellationToken cancellationToken)
    {
        const int rowsPerStatement = 100;
        DbCommand? command = null;
        try
        {
            for (var start = 0; start < metrics.Count; start += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, metrics.Count - start);
                if (command is null || command.Parameters.Count != 1 + (count * 4))
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = Create(db, prefix, mappings, runId, count);
                    await command.PrepareAsync(cancellationToken);
                }

                for (var i = 0; i < count; i++)
                {
                    var m = metrics[start + i];
                    command.Parameters[1 + (i * 4)].Value = mappings[1].Converter?.ConvertToProvider(m.Key!) ?? m.Key!;
                    command.Parameters[2 + (i * 4)].Value = m.Value!.Value;
                    command.Parameters[3 + (i * 4)].Value = m.Step ?? 0L;
                    command.Parameters[4 + (i * 4)].Value = m.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : nowUtc;
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }

    private static DbCommand Create(PortalDbContext db, string prefix, RelationalTypeMapping[] mappings, Guid runId, int rows)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.Parameters.Add(mappings[0].CreateParameter(command, "@r", runId, nullable: false));
        var text = new StringBuilder(prefix, prefix.Length + (rows * 40)).Append("VALUES ");
        for (var i = 0; i < rows; i++)
        {
            text.Append(i == 0 ? "(@r" : ", (@r");
            // Placeholder values of the right CLR type: the mapping sets DbType/provider type once, values change per row.
            command.Parameters.Add(mappings[1].CreateParameter(command, $"@k{i}", "", nullable: false));
            command.Parameters.Add(mappings[2].CreateParameter(command, $"@v{i}", 0d, nullable: false));
            command.Parameters.Add(mappings[3].CreateParameter(command, $"@s{i}", 0L, nullable: false));
            command.Parameters.Add(mappings[4].CreateParameter(command, $"@t{i}", DateTime.UnixEpoch, nullable: false));
            text.Append(CultureInvariant($", @k{i}, @v{i}, @s{i}, @t{i})"));
        }

        command.CommandText = text.ToString();
        return command;
    }

    private static string CultureInvariant(FormattableString value) => FormattableString.Invariant(value);
}
