using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data;
using Portal.Domain.Runs;

namespace Portal.Web.Features.Runs;

/// <summary>
/// Appends logged metric points with one prepared, parameterised INSERT re-executed per chunk of rows on the
/// context's connection. Table, column names, quoting and parameter conversion come from the EF model and the
/// provider's type mappings, so a Guid binds as SQLite's upper-case TEXT or PostgreSQL's uuid, and a DateTime as
/// each provider stores it.
/// </summary>
internal static class MetricRows
{
    public static async Task InsertAsync(PortalDbContext db, Guid runId, IReadOnlyList<LoggedMetric> metrics, DateTime nowUtc, CancellationToken cancellationToken)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        // Multi-row statements for few round trips (PostgreSQL), but not 1000 rows in one: Microsoft.Data.Sqlite binds by
        // name at a cost that grows with the square of a statement's parameters (4001 made it slower than EF's batch).
        // 100 rows (401 parameters), prepared once and re-run for each full chunk, measured best on SQLite.
        const int rowsPerStatement = 100;
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
            .AppendJoin(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!))).Append(") VALUES ").ToString();

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
        var text = new StringBuilder(prefix, prefix.Length + (rows * 40));
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
