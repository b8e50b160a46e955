using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data.Serving;

namespace Portal.Data.Sqlite;

/// <summary>
/// SQLite: one INSERT prepared once per flush and re-executed per request, inside one transaction (measured against
/// multi-row INSERTs of 50 requests, which Microsoft.Data.Sqlite binds at half the rate: docs/benchmarks.md). The rows and outputs
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
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table.Table} ({table.Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, CAST(@p10 AS TEXT), CAST(@p11 AS TEXT))";
        var first = rows[0];
        object?[] placeholders =
        [
            first.Id, first.ModelId, first.ModelVersionId, first.VersionNumber, first.RolloutId, first.Arm, first.ReceivedUtc, first.RowCount,
            first.ErrorCount, first.DurationMicroseconds,
        ];
        var parameters = new DbParameter[placeholders.Length + 2];
        for (var c = 0; c < placeholders.Length; c++)
        {
            parameters[c] = table.Mappings[c].CreateParameter(command, FormattableString.Invariant($"@p{c}"), placeholders[c], nullable: c == 4);
        }

        parameters[10] = new SqliteParameter("@p10", SqliteType.Blob);
        parameters[11] = new SqliteParameter("@p11", SqliteType.Blob);
        command.Parameters.AddRange(parameters);
        foreach (var row in rows)
        {
            parameters[0].Value = table.ProviderValue(0, row.Id);
            parameters[1].Value = table.ProviderValue(1, row.ModelId);
            parameters[2].Value = table.ProviderValue(2, row.ModelVersionId);
            parameters[3].Value = row.VersionNumber;
            parameters[4].Value = table.ProviderValue(4, row.RolloutId) ?? DBNull.Value;
            parameters[5].Value = table.ProviderValue(5, row.Arm);
            parameters[6].Value = table.ProviderValue(6, row.ReceivedUtc);
            parameters[7].Value = row.RowCount;
            parameters[8].Value = row.ErrorCount;
            parameters[9].Value = row.DurationMicroseconds;
            parameters[10].Value = row.InputsUtf8;
            parameters[11].Value = row.OutputsUtf8;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
