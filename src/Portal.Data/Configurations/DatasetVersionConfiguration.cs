using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Datasets;

namespace Portal.Data.Configurations;

internal sealed class DatasetVersionConfiguration : IEntityTypeConfiguration<DatasetVersion>
{
    public void Configure(EntityTypeBuilder<DatasetVersion> builder)
    {
        builder.ToTable("DatasetVersions");
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.DatasetId, v.Version }).IsUnique();
        builder.HasIndex(v => new { v.DatasetId, v.Sha256 });
        builder.Property(v => v.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(v => v.OriginalFileName).HasMaxLength(256);
        builder.Property(v => v.UploadedBy).HasMaxLength(450);
        builder.HasOne<Dataset>().WithMany().HasForeignKey(v => v.DatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(v => v.Columns).WithOne().HasForeignKey(c => c.DatasetVersionId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(v => v.Schema);
        builder.Ignore(v => v.IsPurged);
        builder.Property(v => v.PurgedBy).HasMaxLength(450);
        builder.Property(v => v.PurgeReason).HasMaxLength(2000);
        builder.HasIndex(v => v.ErasureRequestId);
    }
}
