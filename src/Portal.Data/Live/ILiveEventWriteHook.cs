using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Data.Live;

/// <summary>
/// Registered as an interceptor on the context's options (<c>AddInterceptors</c>); <see cref="PortalDbContext"/> calls
/// it inside every transaction that writes live events, before they are inserted. A provider whose sequences could
/// commit out of order (PostgreSQL) takes a transaction lock here, so that sequence order is commit order.
/// </summary>
public interface ILiveEventWriteHook : IInterceptor
{
    Task BeforeWriteAsync(DbContext db, CancellationToken cancellationToken);
}
