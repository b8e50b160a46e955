using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Application.Datasets;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// Stands in for the registry's listener: records each call with the audit entries then waiting to be saved on the same
/// context; fails when a change touches a column named <see cref="FailingColumn"/>; writes an entry of its own when one
/// touches <see cref="WritingColumn"/>.
/// </summary>
public sealed class RecordingClassificationListener(AuditTrail audit) : IClassificationChangeListener
{
    public const string FailingColumn = "explodes";
    public const string WritingColumn = "goes_stale";

    public ConcurrentQueue<(DatasetVersionId VersionId, IReadOnlyList<ColumnClassificationChange> Changes, int PendingAuditEntries)> Calls { get; } = new();

    public Task ClassificationChangedAsync(PortalDbContext db, DatasetVersionId versionId, IReadOnlyList<ColumnClassificationChange> changes, AuditActor actor,
        CancellationToken cancellationToken)
    {
        var pending = db.ChangeTracker.Entries<AuditEntry>().Count(e => e.State == Microsoft.EntityFrameworkCore.EntityState.Added);
        Calls.Enqueue((versionId, changes, pending));
        if (changes.Any(c => c.Column == FailingColumn))
        {
            throw new InvalidOperationException("The listener failed.");
        }

        if (changes.Any(c => c.Column == WritingColumn))
        {
            audit.Record(db, actor, AuditActions.PromotionStale, AuditSubject.DatasetVersion(versionId), new { reason = "classification changed" });
        }

        return Task.CompletedTask;
    }

    public static void Register(IWebHostBuilder builder) => builder.ConfigureServices(services =>
    {
        services.AddSingleton<RecordingClassificationListener>();
        services.Replace(ServiceDescriptor.Singleton<IClassificationChangeListener>(sp => sp.GetRequiredService<RecordingClassificationListener>()));
    });
}

/// <summary>The app on SQLite with a <see cref="RecordingClassificationListener"/>.</summary>
public sealed class ClassificationAppFactory : PortalAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        RecordingClassificationListener.Register(builder);
    }
}

/// <summary>The app on PostgreSQL with a <see cref="RecordingClassificationListener"/>.</summary>
public sealed class PostgresClassificationAppFactory : PostgresAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        RecordingClassificationListener.Register(builder);
    }
}
