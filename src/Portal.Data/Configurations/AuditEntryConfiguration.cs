using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Audit;

namespace Portal.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.HasIndex(e => e.Sequence).IsUnique();
        builder.Property(e => e.ActorKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.ActorId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(128);
        builder.Property(e => e.SubjectType).HasMaxLength(64);
        builder.Property(e => e.SubjectId).HasMaxLength(450);
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength();
        builder.Property(e => e.Hash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(e => new { e.ActorId, e.Sequence });
        builder.HasIndex(e => new { e.SubjectType, e.SubjectId });
        builder.HasIndex(e => e.Action);
        builder.Ignore(e => e.Actor);
        builder.Ignore(e => e.Subject);
        builder.Ignore(e => e.IsSealed);
    }
}
