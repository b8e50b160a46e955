using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Registry;

namespace Portal.Data.Configurations;

internal sealed class ModelCardSectionConfiguration : IEntityTypeConfiguration<ModelCardSection>
{
    public void Configure(EntityTypeBuilder<ModelCardSection> builder)
    {
        builder.ToTable("ModelCardSections");
        builder.HasKey(s => new { s.ModelVersionId, s.Kind });
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.Text).HasMaxLength(ModelCardSection.MaxTextLength);
        // Two editors saving on the same revision: one commits, the other is told to reload (ModelCardEditing).
        builder.Property(s => s.Revision).IsConcurrencyToken();
        builder.Property(s => s.EditedBy).HasMaxLength(450);
        builder.Property(s => s.EditedByName).HasMaxLength(256);
        builder.HasOne<ModelVersion>().WithMany().HasForeignKey(s => s.ModelVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}
