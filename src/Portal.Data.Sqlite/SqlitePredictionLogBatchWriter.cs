using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data.Serving;

namespace Portal.Data.Sqlite;

/// <summary>
/// SQLite: multi-row INSERTs of up to 50 requests each, prepared once per flush and re-executed, inside one transaction. The rows and outputs
/// bind as the exact UTF-8 bytes of their JSON and are cast to TEXT by SQLite (a BLOB cast to TEXT is its bytes read in
/// the database's encoding, UTF-8 here), so no UTF-16 copy is made of them on either side.
/// <para>
/// The flush commits with <c>synchronous=NORMAL</c> on its connection (set back to <c>FULL</c> after): in WAL mode the
/// commit is then not flushed to disk by itself but with the next governance commit or checkpoint, so a power cut can
/// lose the last fraction of a second of the log, never corrupt it or anything else. Microsoft.Data.Sqlite runs the
/// disk flush on the calling thread; without this, every group commit held a thread-pool thread in fsync while the
/// serving path queued behind it (docs/benchmarks.md, "Serving (issue 11)").
/// </para>
/// </summary>
public sealed class SqlitePredictionLogBatchWriter : PredictionLogBatchWriter
{
    /// <summary>Rows per INSERT statement: 50 × 12 parameters, well under SQLite's limit of 32,766.</summary>
    private const int RowsPerStatement = 50;

    private const int Columns = 12;

    protected override async Task InsertAsync(PortalDbContext db, PredictionLogTable table, IReadOnlyList<PredictionLogRow> rows, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await InsertRowsAsync(connection, transaction.GetDbTransaction(), table, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL;", CancellationToken.None);
            }
            catch (SqliteException)
            {
                // Never hand a connection that commits without flushing back to the pool.
                SqliteConnection.ClearPool((SqliteConnection)connection);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task InsertRowsAsync(DbConnection connection, DbTransaction transaction, PredictionLogTable table, IReadOnlyList<PredictionLogRow> rows,
        CancellationToken cancellationToken)
    {
        DbCommand? command = null;
        try
        {
            for (var start = 0; start < rows.Count; start += RowsPerStatement)
            {
                var count = Math.Min(RowsPerStatement, rows.Count - start);
                if (command is null || command.Parameters.Count != count * Columns)
                {
                    if (command is not null)
                    {
                        await command.DisposeAsync();
                    }

                    command = Create(connection, transaction, table, rows[start], count);
                }

                for (var i = 0; i < count; i++)
                {
                    var row = rows[start + i];
                    var at = i * Columns;
                    var parameters = command.Parameters;
                    parameters[at].Value = table.ProviderValue(0, row.Id);
                    parameters[at + 1].Value = table.ProviderValue(1, row.ModelId);
                    parameters[at + 2].Value = table.ProviderValue(2, row.ModelVersionId);
                    parameters[at + 3].Value = row.VersionNumber;
                    parameters[at + 4].Value = table.ProviderValue(4, row.RolloutId) ?? DBNull.Value;
                    parameters[at + 5].Value = table.ProviderValue(5, row.Arm);
                    parameters[at + 6].Value = table.ProviderValue(6, row.ReceivedUtc);
                    parameters[at + 7].Value = row.RowCount;
                    parameters[at + 8].Value = row.ErrorCount;
                    parameters[at + 9].Value = row.DurationMicroseconds;
                    parameters[at + 10].Value = row.InputsUtf8;
                    parameters[at + 11].Value = row.OutputsUtf8;
                }

                var inserted = await command.ExecuteNonQueryAsync(cancellationToken);
                if (inserted != count)
                {
                    throw new InvalidOperationException($"Inserted {inserted} logged predict requests of {count}.");
                }
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

    /// <summary>An INSERT of <paramref name="rows"/> rows, its parameters typed by the EF mappings (placeholder values of <paramref name="sample"/>).</summary>
    private static DbCommand Create(DbConnection connection, DbTransaction transaction, PredictionLogTable table, PredictionLogRow sample, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        object?[] placeholders =
        [
            sample.Id, sample.ModelId, sample.ModelVersionId, sample.VersionNumber, sample.RolloutId, sample.Arm, sample.ReceivedUtc, sample.RowCount,
            sample.ErrorCount, sample.DurationMicroseconds,
        ];
        var text = new StringBuilder($"INSERT INTO {table.Table} ({table.Columns}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < placeholders.Length; c++)
            {
                var name = FormattableString.Invariant($"@p{r}_{c}");
                command.Parameters.Add(table.Mappings[c].CreateParameter(command, name, placeholders[c], nullable: c == 4));
                text.Append(name).Append(", ");
            }

            command.Parameters.Add(new SqliteParameter(FormattableString.Invariant($"@p{r}_i"), SqliteType.Blob));
            command.Parameters.Add(new SqliteParameter(FormattableString.Invariant($"@p{r}_o"), SqliteType.Blob));
            text.Append(FormattableString.Invariant($"CAST(@p{r}_i AS TEXT), CAST(@p{r}_o AS TEXT))"));
        }

        command.CommandText = text.ToString();
        return command;
    }
}
