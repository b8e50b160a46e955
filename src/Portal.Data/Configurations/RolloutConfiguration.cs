using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;

namespace Portal.Data.Configurations;

internal sealed class RolloutConfiguration : IEntityTypeConfiguration<Rollout>
{
    public void Configure(EntityTypeBuilder<Rollout> builder)
    {
        builder.ToTable("Rollouts");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        // Of a driver advancing a step and a manager pausing it at once, one commits and the other re-reads.
        builder.Property<int>(RegisteredModelConfiguration.Revision).IsConcurrencyToken();
        builder.Property(r => r.Transition).HasColumnName("TransitionJson").HasJsonConversion(() => null!);
        builder.Property(r => r.Policy).HasColumnName("PolicyJson").HasJsonConversion(() => RolloutPolicy.Default);
        builder.Property<List<RolloutStepVerdict>>("verdicts").HasColumnName("VerdictsJson").HasJsonConversion(() => []);
        builder.Ignore(r => r.Verdicts);
        builder.Ignore(r => r.IsActive);
        builder.Property(r => r.Reason).HasMaxLength(Rollout.MaxTextLength);
        builder.Property(r => r.LeaseOwner).HasMaxLength(200);
        builder.HasOne<RegisteredModel>().WithMany().HasForeignKey(r => r.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.BaselineVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.CanaryVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.ModelId, r.StartedUtc });
        builder.HasIndex(r => r.State);
    }
}
