using Microsoft.EntityFrameworkCore;
using Portal.Data.Live;

namespace Portal.Data.Postgres;

/// <summary>
/// PostgreSQL hands out identity values at insert time, so two concurrent transactions could commit sequences 6 and 5
/// in that order and an outbox reader that has passed 6 would never see 5. Every transaction that writes live events
/// first takes one transaction-scoped advisory lock: the next writer inserts only after this one committed, so
/// sequence order is commit order. The NOTIFY (sent at commit) wakes the tails that listen, on every node.
/// </summary>
internal sealed class PostgresLiveEventOrder : ILiveEventWriteHook
{
    public const string Channel = "portal_live_events";

    /// <summary>The advisory lock's key is arbitrary and fixed: "PortalLE" in ASCII, 0x506F7274616C4C45.</summary>
    private const string LockAndNotify = "SELECT pg_advisory_xact_lock(5795977089625377861); NOTIFY " + Channel + ";";

    public Task BeforeWriteAsync(DbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(LockAndNotify, cancellationToken);
}
