using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data.Metrics;
using Portal.Domain.Runs;

namespace Portal.Data.Postgres;

/// <summary>
/// PostgreSQL: a prepared multi-row INSERT, 100 rows a statement, re-executed per chunk, so a batch of 1,000 takes
/// ten round trips (ADR 0005: its round trips matter more than parameter binding).
/// </summary>
public sealed class PostgresMetricBatchWriter : MetricBatchWriter
{
    private const int RowsPerStatement = 100;

    protected override async Task InsertAsync(PortalDbContext db, MetricTable table, RunId runId, IReadOnlyList<RunMetric> rows, CancellationToken cancellationToken)
    {
        var mappings = table.Mappings;
        DbCommand? command = null;
        try
        {
            for (var start = 0; start < rows.Count; start += RowsPerStatement)
            {
                var count = Math.Min(RowsPerStatement, rows.Count - start);
                if (command is null || command.Parameters.Count != 1 + (count * 4))
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = Create(db, table, runId, count);
                    await command.PrepareAsync(cancellationToken);
                }

                for (var i = 0; i < count; i++)
                {
                    var m = rows[start + i];
                    command.Parameters[1 + (i * 4)].Value = mappings[1].Converter?.ConvertToProvider(m.Key) ?? m.Key;
                    command.Parameters[2 + (i * 4)].Value = m.Value;
                    command.Parameters[3 + (i * 4)].Value = m.Step;
                    command.Parameters[4 + (i * 4)].Value = m.TimestampUtc;
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

    private static DbCommand Create(PortalDbContext db, MetricTable table, RunId runId, int rows)
    {
        var mappings = table.Mappings;
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.Parameters.Add(mappings[0].CreateParameter(command, "@r", runId, nullable: false));
        var text = new StringBuilder(table.InsertPrefix, table.InsertPrefix.Length + (rows * 40)).Append("VALUES ");
        for (var i = 0; i < rows; i++)
        {
            text.Append(i == 0 ? "(@r" : ", (@r");
            // Placeholder values of the right CLR type: the mapping sets DbType/provider type once, values change per row.
            command.Parameters.Add(mappings[1].CreateParameter(command, $"@k{i}", "", nullable: false));
            command.Parameters.Add(mappings[2].CreateParameter(command, $"@v{i}", 0d, nullable: false));
            command.Parameters.Add(mappings[3].CreateParameter(command, $"@s{i}", 0L, nullable: false));
            command.Parameters.Add(mappings[4].CreateParameter(command, $"@t{i}", DateTime.UnixEpoch, nullable: false));
            text.Append(FormattableString.Invariant($", @k{i}, @v{i}, @s{i}, @t{i})"));
        }

        command.CommandText = text.ToString();
        return command;
    }
}
