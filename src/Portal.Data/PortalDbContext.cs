using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Portal.Data.Conventions;
using Portal.Data.Identity;
using Portal.Data.Lineage;
using Portal.Data.Live;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Operations;
using Portal.Domain.Lineage;
using Portal.Domain.Monitoring;
using Portal.Domain.Privacy;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Domain.Serving;
using Portal.Domain.Webhooks;

namespace Portal.Data;

/// <summary>
/// Portal's database: Identity plus the governance tables. Migrations live in one assembly per provider:
/// <code>
/// dotnet ef migrations add NAME --project src/Portal.Data.Sqlite --startup-project src/Portal.Data.Sqlite
/// dotnet ef migrations add NAME --project src/Portal.Data.Postgres --startup-project src/Portal.Data.Postgres
/// </code>
/// Audit entries added to the context are sealed into the hash chain by <see cref="SaveChangesAsync(bool, CancellationToken)"/>,
/// in the same transaction as the rest of the change; so are live events added with
/// <see cref="LiveEventPublishing.Publish"/> (the outbox, docs/decisions/0006-live-event-path.md).
/// </summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser, IdentityRole, string>(options)
{
    private const int MaxSealAttempts = 8;

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<WorkerHeartbeat> WorkerHeartbeats => Set<WorkerHeartbeat>();

    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();

    public DbSet<DatasetColumn> DatasetColumns => Set<DatasetColumn>();

    public DbSet<Experiment> Experiments => Set<Experiment>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<RunMetric> RunMetrics => Set<RunMetric>();

    public DbSet<RunParam> RunParams => Set<RunParam>();

    public DbSet<RunDiagnostic> RunDiagnostics => Set<RunDiagnostic>();

    public DbSet<RunLogLine> RunLogLines => Set<RunLogLine>();

    public DbSet<RunEvaluation> RunEvaluations => Set<RunEvaluation>();

    public DbSet<LiveEventRecord> LiveEvents => Set<LiveEventRecord>();

    public DbSet<RegisteredModel> RegisteredModels => Set<RegisteredModel>();

    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();

    public DbSet<PromotionRequest> PromotionRequests => Set<PromotionRequest>();

    public DbSet<PromotionEvidence> PromotionEvidence => Set<PromotionEvidence>();

    public DbSet<PromotionEvaluationJob> PromotionEvaluationJobs => Set<PromotionEvaluationJob>();

    public DbSet<ModelCardSection> ModelCardSections => Set<ModelCardSection>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    /// <summary>The webhook outbox: added with <see cref="Webhooks.WebhookOutbox.EnqueueWebhooksAsync"/> in the change's own save.</summary>
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<PredictionBatch> PredictionBatches => Set<PredictionBatch>();

    public DbSet<PredictionFeedback> PredictionFeedback => Set<PredictionFeedback>();

    public DbSet<Rollout> Rollouts => Set<Rollout>();

    public DbSet<MonitoringWindow> MonitoringWindows => Set<MonitoringWindow>();

    public DbSet<MonitoringCursor> MonitoringCursors => Set<MonitoringCursor>();

    public DbSet<MonitoringAlert> MonitoringAlerts => Set<MonitoringAlert>();

    /// <summary>The retraining loop's jobs: one per alert (or schedule) it acted on.</summary>
    public DbSet<Retraining> Retrainings => Set<Retraining>();

    /// <summary>The lineage graph's stored edges (issue 13, docs/decisions/0012-lineage-and-data-protection.md).</summary>
    public DbSet<LineageEdge> LineageEdges => Set<LineageEdge>();

    /// <summary>Jobs and datasets other systems reported through OpenLineage.</summary>
    public DbSet<ExternalLineageNode> ExternalLineageNodes => Set<ExternalLineageNode>();

    public DbSet<OpenLineageEvent> OpenLineageEvents => Set<OpenLineageEvent>();

    public DbSet<ErasureRequest> ErasureRequests => Set<ErasureRequest>();

    /// <summary>Which dataset version columns have an erasure index file, under which key.</summary>
    public DbSet<DatasetSubjectIndex> DatasetSubjectIndexes => Set<DatasetSubjectIndex>();

    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    /// <summary>Set when a save wrote live events, until the transaction that holds them commits (<see cref="LiveEventSignal"/>).</summary>
    internal bool LiveEventsWritten { get; set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: audit sealing is asynchronous.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // The lineage edges of what this save records join the same transaction (Lineage/LineageRecorder).
        await LineageRecorder.AddDerivedEdgesAsync(this, cancellationToken);
        var pending = ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .ToList();
        var publishes = ChangeTracker.Entries<LiveEventRecord>().Any(e => e.State == EntityState.Added);
        if (pending.Count == 0 && !publishes)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (Database.CurrentTransaction is not null)
        {
            // The caller owns the transaction (e.g. an Identity change plus its audit entry): seal inside it.
            return await WriteAsync(pending, publishes, acceptAllChangesOnSuccess, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var written = await WriteAsync(pending, publishes, acceptAllChangesOnSuccess, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return written;
            }
            catch (Exception ex) when (attempt < MaxSealAttempts && pending.Count > 0 && IsWriteConflict(ex))
            {
                // Another writer took the next sequence number first: read the new head and try again.
                await transaction.RollbackAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt * Random.Shared.Next(1, 4)), cancellationToken);
            }
        }
    }

    private async Task<int> WriteAsync(IReadOnlyList<AuditEntry> pending, bool publishes, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (pending.Count > 0)
        {
            await SealAsync(pending, cancellationToken);
        }

        if (publishes)
        {
            foreach (var hook in this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<ILiveEventWriteHook>() ?? [])
            {
                await hook.BeforeWriteAsync(this, cancellationToken);
            }
        }

        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        LiveEventsWritten |= publishes;
        return written;
    }

    /// <summary>Typed ids are stored as their plain Guid (every new entity's id is added here).</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<RunId>().HaveConversion<StronglyTypedIdConverter<RunId>>();
        configurationBuilder.Properties<ExperimentId>().HaveConversion<StronglyTypedIdConverter<ExperimentId>>();
        configurationBuilder.Properties<DatasetId>().HaveConversion<StronglyTypedIdConverter<DatasetId>>();
        configurationBuilder.Properties<DatasetVersionId>().HaveConversion<StronglyTypedIdConverter<DatasetVersionId>>();
        configurationBuilder.Properties<RegisteredModelId>().HaveConversion<StronglyTypedIdConverter<RegisteredModelId>>();
        configurationBuilder.Properties<ModelVersionId>().HaveConversion<StronglyTypedIdConverter<ModelVersionId>>();
        configurationBuilder.Properties<PromotionRequestId>().HaveConversion<StronglyTypedIdConverter<PromotionRequestId>>();
        configurationBuilder.Properties<WebhookSubscriptionId>().HaveConversion<StronglyTypedIdConverter<WebhookSubscriptionId>>();
        configurationBuilder.Properties<WebhookDeliveryId>().HaveConversion<StronglyTypedIdConverter<WebhookDeliveryId>>();
        configurationBuilder.Properties<RolloutId>().HaveConversion<StronglyTypedIdConverter<RolloutId>>();
        configurationBuilder.Properties<ErasureRequestId>().HaveConversion<StronglyTypedIdConverter<ErasureRequestId>>();
        configurationBuilder.Properties<PredictionBatchId>().HaveConversion<StronglyTypedIdConverter<PredictionBatchId>>();
        configurationBuilder.Properties<PredictionId>().HaveConversion<StronglyTypedIdConverter<PredictionId>>();
        configurationBuilder.Properties<MonitoringWindowId>().HaveConversion<StronglyTypedIdConverter<MonitoringWindowId>>();
        configurationBuilder.Properties<MonitoringAlertId>().HaveConversion<StronglyTypedIdConverter<MonitoringAlertId>>();
        configurationBuilder.Properties<RetrainingId>().HaveConversion<StronglyTypedIdConverter<RetrainingId>>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    private async Task SealAsync(IReadOnlyList<AuditEntry> pending, CancellationToken cancellationToken)
    {
        var head = await AuditEntries.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditCanonicalForm.GenesisHash;
        foreach (var entry in pending)
        {
            entry.Seal(++sequence, previous);
            previous = entry.Hash;
        }
    }

    /// <summary>
    /// Another writer sealed the next audit sequence first. An optimistic-concurrency conflict is not one: retrying the same
    /// stale change cannot succeed, so it goes straight to the caller, who re-reads.
    /// </summary>
    private static bool IsWriteConflict(Exception ex) =>
        ex is not DbUpdateConcurrencyException && (ex is DbUpdateException or DbException || ex.InnerException is DbException);
}
