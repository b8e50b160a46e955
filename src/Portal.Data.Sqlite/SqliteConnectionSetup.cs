using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Data.Sqlite;

/// <summary>
/// Sets SQLite's own busy timeout on every connection the context opens. Without it Microsoft.Data.Sqlite retries a
/// locked write by sleeping 150 ms at a time, so two concurrent writers (a log-batch and the worker, two API
/// clients) stall each other for 150 ms; SQLite's busy handler instead retries within a few milliseconds of the
/// lock being released.
/// </summary>
internal sealed class SqliteConnectionSetup(int busyTimeoutMilliseconds) : DbConnectionInterceptor
{
    private readonly string pragma = FormattableString.Invariant($"PRAGMA busy_timeout={busyTimeoutMilliseconds};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
