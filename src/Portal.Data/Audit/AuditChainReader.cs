using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Domain.Audit;

namespace Portal.Data.Audit;

/// <summary>One stored audit entry as read by <see cref="AuditChainReader"/> (a row, not a tracked entity).</summary>
public sealed record AuditChainRow(
    long Sequence, DateTime TimestampUtc, string ActorKind, string ActorId, string ActorName, string Action,
    string SubjectType, string SubjectId, string DetailsJson, string PreviousHash, string Hash)
{
    /// <summary>The hash this row should have, or null when its content cannot be read (an actor kind or details altered into nonsense).</summary>
    public string? Recompute(AuditEntryHasher hasher)
    {
        if (!Enum.TryParse<ActorKind>(ActorKind, out var kind))
        {
            return null;
        }

        try
        {
            return hasher.Hash(Sequence, TimestampUtc, kind.ToString(), ActorId, ActorName, Action, SubjectType, SubjectId, DetailsJson, PreviousHash);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The canonical form an auditor hashes (SHA-256 of its UTF-8 bytes is <see cref="Hash"/> when the row is intact).</summary>
    public string? Canonical(AuditEntryHasher hasher)
    {
        try
        {
            return Enum.TryParse<ActorKind>(ActorKind, out var kind)
                ? hasher.Canonical(Sequence, TimestampUtc, kind.ToString(), ActorId, ActorName, Action, SubjectType, SubjectId, DetailsJson, PreviousHash)
                : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>
/// Streams audit entries in sequence order with a plain <see cref="DbDataReader"/> on the context's connection: no change
/// tracking, no entity materialisation. Table and column names come from the EF model, so both providers are served.
/// </summary>
public static class AuditChainReader
{
    public static async IAsyncEnumerable<AuditChainRow> ReadAsync(PortalDbContext db, long fromSequence, long toSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(AuditEntry))!;
        var table = entity.GetTableName()!;
        var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema());
        string Column(string property) => Quote(entity.FindProperty(property)!.GetColumnName(store)!);
        var columns = string.Join(", ", new[]
        {
            nameof(AuditEntry.Sequence), nameof(AuditEntry.TimestampUtc), nameof(AuditEntry.ActorKind), nameof(AuditEntry.ActorId),
            nameof(AuditEntry.ActorName), nameof(AuditEntry.Action), nameof(AuditEntry.SubjectType), nameof(AuditEntry.SubjectId),
            nameof(AuditEntry.DetailsJson), nameof(AuditEntry.PreviousHash), nameof(AuditEntry.Hash),
        }.Select(Column));
        var sequence = Column(nameof(AuditEntry.Sequence));
        var qualified = entity.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(table)}" : Quote(table);

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {columns} FROM {qualified} WHERE {sequence} >= @from AND {sequence} <= @to ORDER BY {sequence}";
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            AddParameter(command, "@from", fromSequence);
            AddParameter(command, "@to", toSequence);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return new AuditChainRow(
                    reader.GetInt64(0),
                    DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
                    reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.GetString(6), reader.GetString(7), reader.GetString(8),
                    reader.GetString(9).TrimEnd(), reader.GetString(10).TrimEnd());
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void AddParameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
