using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Datasets;

namespace Portal.Data.Configurations;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.ToTable("Datasets");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(Dataset.MaxNameLength);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.CreatedBy).HasMaxLength(450);
        // Two uploads of the same name racing for the next version: the second one fails and retries.
        builder.Property(d => d.LatestVersion).IsConcurrencyToken();
    }
}
