using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;

namespace Portal.Application.Registry;

/// <summary>
/// Optimistic concurrency for the registry's aggregates. A use case touches every model and request it changes (bumping their
/// revision), so of two changes racing on one, exactly one commits; the other re-reads and decides again on what is now
/// true (<see cref="RetryAsync{T}"/>). The one-champion index backs it in the database.
/// </summary>
public static class RegistryConcurrency
{
    private const string Revision = "Revision";
    private const int MaxAttempts = 5;

    public static void Touch(PortalDbContext db, RegisteredModel model) => Bump(db.Entry(model).Property<int>(Revision));

    public static void Touch(PortalDbContext db, PromotionRequest request) => Bump(db.Entry(request).Property<int>(Revision));

    public static void Touch(PortalDbContext db, Rollout rollout) => Bump(db.Entry(rollout).Property<int>(Revision));

    public static void Touch(PortalDbContext db, MonitoringAlert alert) => Bump(db.Entry(alert).Property<int>(Revision));

    public static void Touch(PortalDbContext db, MonitoringCursor cursor) => Bump(db.Entry(cursor).Property<int>(Revision));

    public static void Touch(PortalDbContext db, Retraining retraining) => Bump(db.Entry(retraining).Property<int>(Revision));

    /// <summary>
    /// Runs <paramref name="attempt"/> (read, decide, save, on a fresh context each time) until it commits without a conflict,
    /// up to 5 times; the last attempt's conflict surfaces as a 409 saying to retry.
    /// </summary>
    public static async Task<OperationResult<T>> RetryAsync<T>(IDbContextFactory<PortalDbContext> dbFactory,
        Func<PortalDbContext, Task<OperationResult<T>>> attempt, CancellationToken cancellationToken)
    {
        for (var i = 1; ; i++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            try
            {
                return await attempt(db);
            }
            catch (DbUpdateException) when (i < MaxAttempts)
            {
                // Another decision on the same model or request committed first (or took the champion's place): decide again.
                await Task.Delay(TimeSpan.FromMilliseconds(10 * i * Random.Shared.Next(1, 4)), cancellationToken);
            }
            catch (DbUpdateException)
            {
                return OperationResult<T>.Fail(OperationStatus.Conflict, "Someone else changed this model, request or rollout at the same moment; look again and retry.");
            }
        }
    }

    private static void Bump<TEntity>(Microsoft.EntityFrameworkCore.ChangeTracking.PropertyEntry<TEntity, int> revision)
        where TEntity : class => revision.CurrentValue = revision.CurrentValue + 1;
}
