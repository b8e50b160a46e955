using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Serving;
using Portal.Domain.Serving;
using SQLitePCL;

namespace Portal.Data.Sqlite;

/// <summary>
/// SQLite: one INSERT prepared once per flush and re-executed per request, inside one transaction, bound through SQLite's
/// statement API (<see cref="InsertRows"/>). The rows and outputs bind as the exact UTF-8 bytes of their JSON, so no
/// UTF-16 copy is made of them on either side. (Multi-row INSERTs of 50 requests were measured and were slower:
/// docs/benchmarks.md.)
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
            InsertRows((SqliteConnection)connection, table, rows);
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

    /// <summary>
    /// The rows through SQLite's own statement API on the connection's handle: one statement prepared per flush, every
    /// value bound by position from UTF-8 bytes formatted on the stack, as EF stores them (upper-case Guid text, the
    /// provider's DateTime text, the arm's name). Microsoft.Data.Sqlite's parameters looked each one up by name and made
    /// strings of Guids and dates per row; this was half the writer's cost (docs/benchmarks.md).
    /// </summary>
    private static void InsertRows(SqliteConnection connection, PredictionLogTable table, IReadOnlyList<PredictionLogRow> rows)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var sql = $"INSERT INTO {table.Table} ({table.Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            // The arm's stored text (its EF converter's), once per flush rather than per row.
            var arms = Enum.GetValues<ServingArm>().ToDictionary(a => a, a => Encoding.UTF8.GetBytes((string)table.ProviderValue(5, a)!));
            Span<byte> text = stackalloc byte[64];
            foreach (var row in rows)
            {
                BindGuid(handle, statement, 1, row.Id.Value, text);
                BindGuid(handle, statement, 2, row.ModelId.Value, text);
                BindGuid(handle, statement, 3, row.ModelVersionId.Value, text);
                Check(handle, raw.sqlite3_bind_int(statement, 4, row.VersionNumber));
                if (row.RolloutId is { } rollout)
                {
                    BindGuid(handle, statement, 5, rollout.Value, text);
                }
                else
                {
                    Check(handle, raw.sqlite3_bind_null(statement, 5));
                }

                Check(handle, raw.sqlite3_bind_text(statement, 6, arms[row.Arm]));
                if (!row.ReceivedUtc.TryFormat(text, out var written, SqliteMetricBatchWriter.SqliteDateTimeFormat, CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException("A DateTime did not fit its text form.");
                }

                Check(handle, raw.sqlite3_bind_text(statement, 7, text[..written]));
                Check(handle, raw.sqlite3_bind_int(statement, 8, row.RowCount));
                Check(handle, raw.sqlite3_bind_int(statement, 9, row.ErrorCount));
                Check(handle, raw.sqlite3_bind_int64(statement, 10, row.DurationMicroseconds));
                Check(handle, raw.sqlite3_bind_text(statement, 11, row.InputsUtf8.Span));
                Check(handle, raw.sqlite3_bind_text(statement, 12, row.OutputsUtf8.Span));
                var stepped = raw.sqlite3_step(statement);
                if (stepped != raw.SQLITE_DONE)
                {
                    throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), stepped);
                }

                Check(handle, raw.sqlite3_reset(statement));
            }
        }
    }

    /// <summary>A Guid as EF Core's SQLite provider stores it: the 36-character form in upper case.</summary>
    private static void BindGuid(sqlite3 handle, sqlite3_stmt statement, int index, Guid value, Span<byte> text)
    {
        value.TryFormat(text, out var written, "D");
        var guid = text[..written];
        for (var i = 0; i < guid.Length; i++)
        {
            if (guid[i] is >= (byte)'a' and <= (byte)'f')
            {
                guid[i] -= 'a' - 'A';
            }
        }

        Check(handle, raw.sqlite3_bind_text(statement, index, guid));
    }

    private static void Check(sqlite3 handle, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), result);
        }
    }
}
