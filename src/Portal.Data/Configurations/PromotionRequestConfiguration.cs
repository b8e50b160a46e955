using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Registry;

namespace Portal.Data.Configurations;

internal sealed class PromotionRequestConfiguration : IEntityTypeConfiguration<PromotionRequest>
{
    public void Configure(EntityTypeBuilder<PromotionRequest> builder)
    {
        builder.ToTable("PromotionRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.TargetStage).HasConversion<string>().HasMaxLength(16);
        // Of two managers approving at once, one commits and the other re-reads (and then counts, or finds it decided).
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property<int>(RegisteredModelConfiguration.Revision).IsConcurrencyToken();
        builder.Property(r => r.Justification).HasMaxLength(PromotionRequest.MaxTextLength);
        builder.Property(r => r.RequestedBy).HasMaxLength(450);
        builder.Property(r => r.RunSubmittedBy).HasMaxLength(450);
        builder.Property(r => r.EvidenceSha256).HasMaxLength(64);
        builder.Property(r => r.OverriddenEvidenceSha256).HasMaxLength(64);
        builder.Property(r => r.FairnessAcceptedBy).HasMaxLength(450);
        builder.Property(r => r.FairnessAcceptanceReason).HasMaxLength(PromotionRequest.MaxTextLength);
        builder.Property(r => r.StaleReason).HasMaxLength(PromotionRequest.MaxTextLength);
        builder.Property(r => r.DecidedBy).HasMaxLength(450);
        builder.Property(r => r.RejectionComment).HasMaxLength(PromotionRequest.MaxTextLength);
        builder.Property(r => r.OverriddenBy).HasMaxLength(450);
        builder.Property(r => r.OverrideReason).HasMaxLength(PromotionRequest.MaxTextLength);
        builder.Property<List<GateResult>>("gates").HasColumnName("GatesJson").HasJsonConversion(() => []);
        builder.Property<List<PromotionApproval>>("approvals").HasColumnName("ApprovalsJson").HasJsonConversion(() => []);
        builder.Property<List<DataProtectionSignOff>>("signOffs").HasColumnName("SignOffsJson").HasJsonConversion(() => []);
        builder.Ignore(r => r.Gates);
        builder.Ignore(r => r.Approvals);
        builder.Ignore(r => r.SignOffs);
        builder.Ignore(r => r.IsFinal);
        builder.Ignore(r => r.ApprovalCount);
        builder.Ignore(r => r.CurrentSignOff);
        builder.Ignore(r => r.FailedHardGates);
        builder.HasOne<RegisteredModel>().WithMany().HasForeignKey(r => r.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.VersionId).OnDelete(DeleteBehavior.Restrict);
        // The inbox (open requests, newest first) and a model's requests.
        builder.HasIndex(r => new { r.Status, r.RequestedUtc });
        builder.HasIndex(r => new { r.ModelId, r.RequestedUtc });
        builder.HasIndex(r => new { r.RequestedBy, r.RequestedUtc });
    }
}
