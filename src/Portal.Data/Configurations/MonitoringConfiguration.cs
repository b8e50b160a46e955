using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;

namespace Portal.Data.Configurations;

internal sealed class MonitoringWindowConfiguration : IEntityTypeConfiguration<MonitoringWindow>
{
    public void Configure(EntityTypeBuilder<MonitoringWindow> builder)
    {
        builder.ToTable("MonitoringWindows");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.Predictions).HasColumnName("PredictionsJson").HasJsonConversion<IReadOnlyList<PredictionShare>>(() => []);
        builder.Property(w => w.Drift).HasColumnName("DriftJson").HasJsonConversion(() => DriftReport.Empty);
        builder.Property(w => w.Quality).HasColumnName("QualityJson").HasJsonConversion(() => WindowQuality.Empty);
        builder.Property(w => w.Summary).HasMaxLength(MonitoringWindow.MaxSummaryLength);
        builder.HasOne<RegisteredModel>().WithMany().HasForeignKey(w => w.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(w => w.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
        // A model's dashboard: its latest windows of one kind.
        builder.HasIndex(w => new { w.ModelId, w.Kind, w.EndUtc });
    }
}

internal sealed class MonitoringCursorConfiguration : IEntityTypeConfiguration<MonitoringCursor>
{
    public void Configure(EntityTypeBuilder<MonitoringCursor> builder)
    {
        builder.ToTable("MonitoringCursors");
        builder.HasKey(c => new { c.ModelId, c.Kind });
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.LeaseOwner).HasMaxLength(200);
        // Of two workers taking the same model's lease at once, one commits and the other re-reads.
        builder.Property<int>(RegisteredModelConfiguration.Revision).IsConcurrencyToken();
        builder.HasOne<RegisteredModel>().WithMany().HasForeignKey(c => c.ModelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MonitoringAlertConfiguration : IEntityTypeConfiguration<MonitoringAlert>
{
    public void Configure(EntityTypeBuilder<MonitoringAlert> builder)
    {
        builder.ToTable("MonitoringAlerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Rule).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Feature).HasMaxLength(MonitoringAlert.MaxFeatureLength);
        builder.Property(a => a.Message).HasMaxLength(MonitoringAlert.MaxTextLength);
        builder.Property(a => a.AcknowledgedBy).HasMaxLength(256);
        builder.Property(a => a.AcknowledgeComment).HasMaxLength(MonitoringAlert.MaxTextLength);
        builder.Property(a => a.ResolvedBy).HasMaxLength(256);
        builder.Property(a => a.ResolveComment).HasMaxLength(MonitoringAlert.MaxTextLength);
        builder.Ignore(a => a.IsActive);
        // A person acknowledging while the loop repeats the alert: one commits, the other re-reads.
        builder.Property<int>(RegisteredModelConfiguration.Revision).IsConcurrencyToken();
        builder.HasOne<RegisteredModel>().WithMany().HasForeignKey(a => a.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(a => a.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<MonitoringWindow>().WithMany().HasForeignKey(a => a.WindowId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Rollout>().WithMany().HasForeignKey(a => a.RolloutId).OnDelete(DeleteBehavior.Restrict);
        // De-duplication (the open alert of a model, rule and feature), the feed by status, a model's alerts.
        builder.HasIndex(a => new { a.ModelId, a.Rule, a.Feature, a.Status });
        builder.HasIndex(a => new { a.Status, a.RaisedUtc });
    }
}
