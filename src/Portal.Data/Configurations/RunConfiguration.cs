using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;

namespace Portal.Data.Configurations;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable("Runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Mode).HasConversion<string>().HasMaxLength(16);
        // Claims, lease recovery and renewals are optimistic: of two workers changing one run's status, one loses.
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        builder.Property(r => r.Task).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Trainer).HasMaxLength(64);
        // One JSON object of numbers, read whole by the training job and the run page; never queried inside.
        builder.Property(r => r.Hyperparameters).HasColumnName("HyperparametersJson").HasConversion(
            value => JsonSerializer.Serialize(value, (JsonSerializerOptions?)null),
            json => JsonSerializer.Deserialize<Dictionary<string, double>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, double>(),
            new ValueComparer<IReadOnlyDictionary<string, double>>(
                (a, b) => a!.Count == b!.Count && a.All(p => b.ContainsKey(p.Key) && b[p.Key] == p.Value),
                value => value.Count,
                value => new Dictionary<string, double>(value)));
        builder.Property(r => r.LabelColumn).HasMaxLength(256);
        builder.Property(r => r.DatasetSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.ModelSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.SubmittedBy).HasMaxLength(450);
        builder.Property(r => r.SubmittedByName).HasMaxLength(256);
        builder.Property(r => r.FailureReason).HasMaxLength(Run.MaxReasonLength);
        builder.Property(r => r.LeaseOwner).HasMaxLength(128);
        builder.Property(r => r.ProgressStage).HasMaxLength(128);
        builder.Property(r => r.LibraryVersion).HasMaxLength(64);
        builder.Property(r => r.PrimaryMetric).HasMaxLength(64);
        builder.HasOne<Experiment>().WithMany().HasForeignKey(r => r.ExperimentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(r => r.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        // The list's default order and its filters; the claim query (Status, SubmittedUtc).
        builder.HasIndex(r => r.SubmittedUtc);
        builder.HasIndex(r => new { r.Status, r.SubmittedUtc });
        builder.HasIndex(r => new { r.ExperimentId, r.SubmittedUtc });
        builder.HasIndex(r => new { r.Trainer, r.SubmittedUtc });
        builder.HasIndex(r => new { r.SubmittedBy, r.SubmittedUtc });
        builder.HasIndex(r => r.PrimaryMetricValue);
        // Status + trainer filters sorted by metric (the leaderboard view): without it SQLite reads and sorts every run
        // of the trainer, twice (count and page); p95 was 317 ms at 100k runs (docs/benchmarks.md).
        builder.HasIndex(r => new { r.Trainer, r.Status, r.PrimaryMetricValue });
        // The experiments page counts each experiment's active and succeeded runs: without it SQLite looked up every
        // run's row for its status (700-785 ms for 11 experiments at 100k runs; docs/benchmarks.md).
        builder.HasIndex(r => new { r.ExperimentId, r.Status });
        builder.Ignore(r => r.IsTerminal);
        builder.Ignore(r => r.Duration);
    }
}
