using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Datasets;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;

namespace Portal.Data.Configurations;

internal sealed class RegisteredModelConfiguration : IEntityTypeConfiguration<RegisteredModel>
{
    /// <summary>
    /// The aggregate's optimistic-concurrency token (a shadow column): every use case that changes a model, its versions'
    /// stages or its production history bumps it (RegistryConcurrency.Touch in Portal.Application), so of two transitions
    /// racing on one model, one commits and the other re-reads.
    /// </summary>
    public const string Revision = "Revision";

    public void Configure(EntityTypeBuilder<RegisteredModel> builder)
    {
        builder.ToTable("RegisteredModels");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Name).HasMaxLength(RegisteredModel.MaxNameLength);
        builder.Property(m => m.NormalizedName).HasMaxLength(RegisteredModel.MaxNameLength);
        builder.HasIndex(m => m.NormalizedName).IsUnique();
        builder.Property(m => m.Description).HasMaxLength(RegisteredModel.MaxDescriptionLength);
        builder.Property(m => m.OwnerId).HasMaxLength(450);
        builder.Property(m => m.RiskTier).HasConversion<string>().HasMaxLength(16);
        builder.Property<int>(Revision).IsConcurrencyToken();
        builder.Property(m => m.RolloutPolicy).HasColumnName("RolloutPolicyJson").HasJsonConversion<RolloutPolicy?>(() => null);
        builder.Property(m => m.MonitoringPolicy).HasColumnName("MonitoringPolicyJson").HasJsonConversion<MonitoringPolicy?>(() => null);
        builder.Property(m => m.RetrainingPolicy).HasColumnName("RetrainingPolicyJson").HasJsonConversion<RetrainingPolicy?>(() => null);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(m => m.HoldOutDatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.CreatedUtc);

        builder.HasMany(m => m.Versions).WithOne().HasForeignKey(v => v.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(m => m.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(m => m.ProductionHistory, period =>
        {
            period.ToTable("ModelProductionPeriods");
            period.WithOwner().HasForeignKey("ModelId");
            period.Property<int>("Id");
            period.HasKey("Id");
            period.Property(p => p.ApprovedBy).HasColumnName("ApprovedByJson").HasJsonConversion<IReadOnlyList<string>>(() => []);
            period.Property(p => p.Reason).HasMaxLength(PromotionRequest.MaxTextLength);
            period.Property(p => p.EvidenceSha256).HasMaxLength(64);
            period.HasIndex("ModelId", nameof(ProductionPeriod.FromUtc));
            period.Ignore(p => p.IsOpen);
        });
        builder.Navigation(m => m.ProductionHistory).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(m => m.Champion);
    }
}
