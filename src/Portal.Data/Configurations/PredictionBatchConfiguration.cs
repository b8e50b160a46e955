using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Registry;
using Portal.Domain.Serving;

namespace Portal.Data.Configurations;

internal sealed class PredictionBatchConfiguration : IEntityTypeConfiguration<PredictionBatch>
{
    public void Configure(EntityTypeBuilder<PredictionBatch> builder)
    {
        builder.ToTable("PredictionBatches");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Arm).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<RegisteredModel>().WithMany().HasForeignKey(b => b.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(b => b.ModelVersionId).OnDelete(DeleteBehavior.Restrict);
        // A model's traffic over time (monitoring windows) and a rollout's arms over a step's window (analysis). The rollout
        // index holds only requests served during a rollout: most traffic is not, and each index is paid on every logged
        // request (docs/benchmarks.md, "Serving, sixth pass"). Both providers quote identifiers with double quotes.
        builder.HasIndex(b => new { b.ModelId, b.ReceivedUtc });
        builder.HasIndex(b => new { b.RolloutId, b.ReceivedUtc }).HasFilter("\"RolloutId\" IS NOT NULL");
    }
}
