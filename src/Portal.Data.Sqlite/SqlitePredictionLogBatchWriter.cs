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
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            Write(connection, table, rows);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The flush's transaction and pragmas go straight to SQLite on the connection's handle, like the rows: through EF's
    /// command pipeline (and its interceptors) the four statements were a twentieth of the writer's CPU time
    /// (docs/benchmarks.md, "Serving, seventh pass").
    /// <c>BEGIN IMMEDIATE</c> waits for other writers through the busy timeout every connection is opened with
    /// (<see cref="SqliteConnectionSetup"/>). A connection is never handed back to the pool inside a transaction or with
    /// <c>synchronous=NORMAL</c>: when either cannot be undone, the pool is cleared, which closes it.
    /// </summary>
    private static void Write(SqliteConnection connection, PredictionLogTable table, IReadOnlyList<PredictionLogRow> rows)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        try
        {
            Execute(handle, "PRAGMA synchronous=NORMAL; BEGIN IMMEDIATE;");
            InsertRows(handle, table, rows);
            Execute(handle, "COMMIT;");
        }
        finally
        {
            try
            {
                if (raw.sqlite3_get_autocommit(handle) == 0)
                {
                    Execute(handle, "ROLLBACK;");
                }

                Execute(handle, "PRAGMA synchronous=FULL;");
            }
            catch (SqliteException)
            {
                SqliteConnection.ClearPool(connection);
            }
        }
    }

    private static void Execute(sqlite3 handle, string sql) => Check(handle, raw.sqlite3_exec(handle, sql));

    /// <summary>
    /// The rows through SQLite's own statement API on the connection's handle: one statement prepared per flush, every
    /// value bound by position from UTF-8 bytes formatted on the stack, as EF stores them (upper-case Guid text, the
    /// provider's DateTime text, the arm's name). Microsoft.Data.Sqlite's parameters looked each one up by name and made
    /// strings of Guids and dates per row; this was half the writer's cost (docs/benchmarks.md).
    /// <para>
    /// SQLite keeps a statement's bindings across <c>sqlite3_reset</c>, so what a request shares with the one before it
    /// (model, version, rollout, arm, row and error counts: most of a flush is one model's traffic) is bound only when it
    /// changes; the id, time, duration, rows and outputs are bound for every request.
    /// </para>
    /// </summary>
    private static void InsertRows(sqlite3 handle, PredictionLogTable table, IReadOnlyList<PredictionLogRow> rows)
    {
        var sql = $"INSERT INTO {table.Table} ({table.Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            // The arm's stored text (its EF converter's), once per flush rather than per row.
            var arms = Enum.GetValues<ServingArm>().ToDictionary(a => a, a => Encoding.UTF8.GetBytes((string)table.ProviderValue(5, a)!));
            Span<byte> text = stackalloc byte[64];
            PredictionLogRow? previous = null;
            foreach (var row in rows)
            {
                Check(handle, BindGuid(statement, 1, row.Id.Value, text));
                if (previous?.ModelId != row.ModelId)
                {
                    Check(handle, BindGuid(statement, 2, row.ModelId.Value, text));
                }

                if (previous?.ModelVersionId != row.ModelVersionId)
                {
                    Check(handle, BindGuid(statement, 3, row.ModelVersionId.Value, text));
                }

                if (previous?.VersionNumber != row.VersionNumber)
                {
                    Check(handle, raw.sqlite3_bind_int(statement, 4, row.VersionNumber));
                }

                if (previous is null || previous.RolloutId != row.RolloutId)
                {
                    Check(handle, row.RolloutId is { } rollout ? BindGuid(statement, 5, rollout.Value, text) : raw.sqlite3_bind_null(statement, 5));
                }

                if (previous?.Arm != row.Arm)
                {
                    Check(handle, raw.sqlite3_bind_text(statement, 6, arms[row.Arm]));
                }

                Check(handle, raw.sqlite3_bind_text(statement, 7, text[..SqliteDateTimeText.Format(row.ReceivedUtc, text)]));
                if (previous?.RowCount != row.RowCount)
                {
                    Check(handle, raw.sqlite3_bind_int(statement, 8, row.RowCount));
                }

                if (previous?.ErrorCount != row.ErrorCount)
                {
                    Check(handle, raw.sqlite3_bind_int(statement, 9, row.ErrorCount));
                }

                Check(handle, raw.sqlite3_bind_int64(statement, 10, row.DurationMicroseconds));
                Check(handle, raw.sqlite3_bind_text(statement, 11, row.InputsUtf8.Span));
                Check(handle, raw.sqlite3_bind_text(statement, 12, row.OutputsUtf8.Span));
                var stepped = raw.sqlite3_step(statement);
                if (stepped != raw.SQLITE_DONE)
                {
                    throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), stepped);
                }

                Check(handle, raw.sqlite3_reset(statement));
                previous = row;
            }
        }
    }

    /// <summary>A Guid as EF Core's SQLite provider stores it: the 36-character form in upper case.</summary>
    private static int BindGuid(sqlite3_stmt statement, int index, Guid value, Span<byte> text)
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

        return raw.sqlite3_bind_text(statement, index, guid);
    }

    private static void Check(sqlite3 handle, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), result);
        }
    }
}
