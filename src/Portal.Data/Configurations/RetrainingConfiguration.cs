using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;

namespace Portal.Data.Configurations;

internal sealed class RetrainingConfiguration : IEntityTypeConfiguration<Retraining>
{
    public void Configure(EntityTypeBuilder<Retraining> builder)
    {
        builder.ToTable("Retrainings");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Reason).HasMaxLength(Retraining.MaxTextLength);
        builder.Property(r => r.LeaseOwner).HasMaxLength(200);
        builder.Ignore(r => r.IsRunning);
        // Two workers advancing one retraining: one commits, the other re-reads.
        builder.Property<int>(RegisteredModelConfiguration.Revision).IsConcurrencyToken();
        builder.HasOne<RegisteredModel>().WithMany().HasForeignKey(r => r.ModelId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<MonitoringAlert>().WithMany().HasForeignKey(r => r.AlertId).OnDelete(DeleteBehavior.SetNull);
        // A model's retrainings by state (is one running, when did the last start), and a request's "why".
        builder.HasIndex(r => new { r.ModelId, r.State });
        builder.HasIndex(r => r.AlertId);
        builder.HasIndex(r => r.RequestId);
        builder.HasIndex(r => r.ErasureRequestId);
    }
}
