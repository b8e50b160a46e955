using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Datasets;

namespace Portal.Data.Configurations;

internal sealed class DatasetColumnConfiguration : IEntityTypeConfiguration<DatasetColumn>
{
    public void Configure(EntityTypeBuilder<DatasetColumn> builder)
    {
        builder.ToTable("DatasetColumns");
        builder.HasKey(c => new { c.DatasetVersionId, c.Ordinal });
        builder.Property(c => c.Name).HasMaxLength(256);
        builder.Property(c => c.Type).HasConversion<string>().HasMaxLength(16);
        // Concurrency tokens: confirming suggestions never overwrites a column another DPO classified at the same moment.
        builder.Property(c => c.Classification).HasConversion<string>().HasMaxLength(24).IsConcurrencyToken();
        builder.Property(c => c.Sensitive).IsConcurrencyToken();
        builder.Property(c => c.SuspicionReason).HasMaxLength(512);
        builder.Property(c => c.ClassifiedBy).HasMaxLength(450);
        builder.Property(c => c.ClassifiedByName).HasMaxLength(256);
        builder.Property(c => c.Purpose).HasMaxLength(1000);
        builder.Property(c => c.LegalBasis).HasConversion<string>().HasMaxLength(40);
        builder.Property(c => c.ChangeSincePrevious).HasConversion<string>().HasMaxLength(16);
    }
}
