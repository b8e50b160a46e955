using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Data.Live;

namespace Portal.Data.Postgres;

/// <summary>
/// On PostgreSQL, wakes this process's outbox tail the moment any process commits live events: every writer sends
/// <c>NOTIFY portal_live_events</c> in its transaction (<see cref="PostgresLiveEventOrder"/>), delivered at commit to
/// every listening connection. A notification is only a wake-up; the tail still reads the outbox by sequence, and polls
/// if this connection is down. Does nothing on SQLite.
/// </summary>
internal sealed class PostgresLiveEventListener(IOptions<DatabaseOptions> database, LiveEventSignal signal, ILogger<PostgresLiveEventListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Value.Provider != DatabaseProviders.Postgres)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.Value.ConnectionString);
                connection.Notification += (_, _) => signal.Wake();
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresLiveEventOrder.Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Events committed while this connection was down are found by the tail's next read.
                signal.CommitsArePushed = true;
                signal.Wake();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                signal.CommitsArePushed = false;
                logger.LogWarning(ex, "Listening for live-event notifications failed; the outbox tail polls meanwhile. Retrying.");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }
}
