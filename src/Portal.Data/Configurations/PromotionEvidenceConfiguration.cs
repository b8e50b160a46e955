using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Registry;

namespace Portal.Data.Configurations;

internal sealed class PromotionEvidenceConfiguration : IEntityTypeConfiguration<PromotionEvidence>
{
    public void Configure(EntityTypeBuilder<PromotionEvidence> builder)
    {
        builder.ToTable("PromotionEvidence");
        builder.HasKey(e => new { e.RequestId, e.EvidenceSha256 });
        builder.Property(e => e.EvidenceSha256).HasMaxLength(64);
        builder.HasOne<PromotionRequest>().WithMany().HasForeignKey(e => e.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PromotionEvaluationJobConfiguration : IEntityTypeConfiguration<PromotionEvaluationJob>
{
    public void Configure(EntityTypeBuilder<PromotionEvaluationJob> builder)
    {
        builder.ToTable("PromotionEvaluationJobs");
        builder.HasKey(j => j.RequestId);
        // Two workers claiming one job: one commits, the other's conditional update fails and it moves on.
        builder.Property(j => j.LeaseOwner).HasMaxLength(128).IsConcurrencyToken();
        builder.Property(j => j.Stage).HasMaxLength(128);
        builder.Property(j => j.LastError).HasMaxLength(2000);
        builder.HasIndex(j => j.QueuedUtc);
        builder.Ignore(j => j.AttemptsLeft);
        builder.HasOne<PromotionRequest>().WithOne().HasForeignKey<PromotionEvaluationJob>(j => j.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
