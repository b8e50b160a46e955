using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Portal.Data.Serving;

namespace Portal.Data.Postgres;

/// <summary>
/// PostgreSQL: one binary <c>COPY ... FROM STDIN</c> per flush on the context's connection, the bulk path PostgreSQL is
/// built for: one statement (atomic by itself), no statement per row.
/// </summary>
public sealed class PostgresPredictionLogBatchWriter : PredictionLogBatchWriter
{
    protected override async Task InsertAsync(PortalDbContext db, PredictionLogTable table, IReadOnlyList<PredictionLogRow> rows, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await CopyAsync(connection, table, rows, cancellationToken);
        }
        finally
        {
            // The context may outlive the flush (the log writer keeps one): its connection goes back to the pool each time.
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, PredictionLogTable table, IReadOnlyList<PredictionLogRow> rows, CancellationToken cancellationToken)
    {
        await using var import = await connection.BeginBinaryImportAsync($"COPY {table.Table} ({table.Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            await import.WriteAsync(row.Id.Value, NpgsqlDbType.Uuid, cancellationToken);
            await import.WriteAsync(row.ModelId.Value, NpgsqlDbType.Uuid, cancellationToken);
            await import.WriteAsync(row.ModelVersionId.Value, NpgsqlDbType.Uuid, cancellationToken);
            await import.WriteAsync(row.VersionNumber, NpgsqlDbType.Integer, cancellationToken);
            if (row.RolloutId is { } rollout)
            {
                await import.WriteAsync(rollout.Value, NpgsqlDbType.Uuid, cancellationToken);
            }
            else
            {
                await import.WriteNullAsync(cancellationToken);
            }

            await import.WriteAsync((string)table.ProviderValue(5, row.Arm)!, NpgsqlDbType.Varchar, cancellationToken);
            await import.WriteAsync(DateTime.SpecifyKind(row.ReceivedUtc, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, cancellationToken);
            await import.WriteAsync(row.RowCount, NpgsqlDbType.Integer, cancellationToken);
            await import.WriteAsync(row.ErrorCount, NpgsqlDbType.Integer, cancellationToken);
            await import.WriteAsync(row.DurationMicroseconds, NpgsqlDbType.Bigint, cancellationToken);
            await import.WriteAsync(Encoding.UTF8.GetString(row.InputsUtf8.Span), NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(Encoding.UTF8.GetString(row.OutputsUtf8.Span), NpgsqlDbType.Text, cancellationToken);
        }

        var written = await import.CompleteAsync(cancellationToken);
        if (written != (ulong)rows.Count)
        {
            throw new InvalidOperationException($"Copied {written} logged predict requests of {rows.Count}.");
        }
    }
}
