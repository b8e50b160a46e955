using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Serving;

namespace Portal.Data.Configurations;

internal sealed class PredictionFeedbackConfiguration : IEntityTypeConfiguration<PredictionFeedback>
{
    public void Configure(EntityTypeBuilder<PredictionFeedback> builder)
    {
        builder.ToTable("PredictionFeedback");
        builder.HasKey(f => f.PredictionId);
        builder.Property(f => f.Arm).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.ActualLabel).HasMaxLength(PredictionFeedback.MaxLabelLength);
        builder.HasOne<PredictionBatch>().WithMany().HasForeignKey(f => f.BatchId).OnDelete(DeleteBehavior.Cascade);
        // Live accuracy of a model by prediction time, and a rollout's arms over a step's window.
        builder.HasIndex(f => new { f.ModelId, f.PredictedUtc });
        builder.HasIndex(f => new { f.RolloutId, f.PredictedUtc }).HasFilter("\"RolloutId\" IS NOT NULL");
    }
}
