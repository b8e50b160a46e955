using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Privacy;
using Portal.Domain.Registry;

namespace Portal.Data.Configurations;

internal sealed class ErasureRequestConfiguration : IEntityTypeConfiguration<ErasureRequest>
{
    public void Configure(EntityTypeBuilder<ErasureRequest> builder)
    {
        builder.ToTable("ErasureRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.KeyColumn).HasMaxLength(256);
        builder.Property(r => r.KeyHash).HasMaxLength(64);
        builder.Property(r => r.Reason).HasMaxLength(ErasureRequest.MaxReasonLength);
        builder.Property(r => r.RequestedBy).HasMaxLength(450);
        builder.Property(r => r.RequestedByName).HasMaxLength(256);
        builder.Property(r => r.DatasetVersionIds).HasColumnName("DatasetVersionIdsJson").HasJsonConversion<IReadOnlyList<DatasetVersionId>>(() => []);
        builder.Property(r => r.AffectedModelVersionIds).HasColumnName("AffectedModelVersionIdsJson").HasJsonConversion<IReadOnlyList<ModelVersionId>>(() => []);
        builder.HasIndex(r => r.RequestedUtc);
    }
}

internal sealed class DatasetSubjectIndexConfiguration : IEntityTypeConfiguration<DatasetSubjectIndex>
{
    public void Configure(EntityTypeBuilder<DatasetSubjectIndex> builder)
    {
        builder.ToTable("DatasetSubjectIndexes");
        builder.HasKey(i => new { i.DatasetVersionId, i.Ordinal });
        builder.Property(i => i.ColumnName).HasMaxLength(256);
        builder.Property(i => i.KeyId).HasMaxLength(64);
        builder.Property(i => i.RelativePath).HasMaxLength(512);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(i => i.DatasetVersionId).OnDelete(DeleteBehavior.Cascade);
        // An erasure search looks up every version's index of a column by the column's name.
        builder.HasIndex(i => i.ColumnName);
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> builder)
    {
        builder.ToTable("AuditCheckpoints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.HeadHash).HasMaxLength(64);
        builder.Property(c => c.KeyId).HasMaxLength(64);
        builder.Property(c => c.Algorithm).HasMaxLength(32);
        builder.Property(c => c.Signature).HasMaxLength(512);
        builder.HasIndex(c => c.Sequence);
    }
}
