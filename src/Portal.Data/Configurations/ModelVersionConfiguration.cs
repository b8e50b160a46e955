using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Data.Configurations;

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> builder)
    {
        builder.ToTable("ModelVersions");
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.ModelId, v.Number }).IsUnique();
        builder.HasIndex(v => new { v.ModelId, v.RunId }).IsUnique();
        builder.HasIndex(v => v.RunId);
        // The registry's invariant, held by the database too: at most one version of a model in Production.
        builder.HasIndex(v => v.ModelId).HasDatabaseName("IX_ModelVersions_OneChampion").IsUnique().HasFilter("\"Stage\" = 'Production'");
        builder.Property(v => v.Stage).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.RunSubmittedBy).HasMaxLength(450);
        builder.Property(v => v.RegisteredBy).HasMaxLength(450);
        builder.Property(v => v.ModelSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(v => v.DatasetVersionIds).HasColumnName("DatasetVersionIdsJson").HasJsonConversion<IReadOnlyList<DatasetVersionId>>(() => []);
        builder.Property(v => v.InputSignature).HasColumnName("InputSignatureJson").HasJsonConversion<IReadOnlyList<InputFeature>>(() => []);
        builder.Property(v => v.Metrics).HasColumnName("MetricsJson").HasJsonConversion<IReadOnlyDictionary<string, double>>(() => new Dictionary<string, double>());
        builder.HasOne<Run>().WithMany().HasForeignKey(v => v.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}
