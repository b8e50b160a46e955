using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Experiments;

namespace Portal.Data.Configurations;

internal sealed class ExperimentConfiguration : IEntityTypeConfiguration<Experiment>
{
    public void Configure(EntityTypeBuilder<Experiment> builder)
    {
        builder.ToTable("Experiments");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(Experiment.MaxNameLength);
        builder.HasIndex(e => e.Name).IsUnique();
        // What makes names unique: "Churn" and "churn" are one experiment (TextRule.NormalizedName; NFKC can lengthen it, so no cap).
        builder.Property(e => e.NormalizedName).IsRequired();
        builder.HasIndex(e => e.NormalizedName).IsUnique();
        builder.Property(e => e.Description).HasMaxLength(Experiment.MaxDescriptionLength);
        builder.Property(e => e.OwnerId).HasMaxLength(450);
    }
}
