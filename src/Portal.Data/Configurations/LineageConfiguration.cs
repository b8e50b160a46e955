using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Lineage;

namespace Portal.Data.Configurations;

internal sealed class LineageEdgeConfiguration : IEntityTypeConfiguration<LineageEdge>
{
    public void Configure(EntityTypeBuilder<LineageEdge> builder)
    {
        builder.ToTable("LineageEdges");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.FromKind).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.ToKind).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.FromId).HasMaxLength(LineageNodeRef.MaxIdLength);
        builder.Property(e => e.ToId).HasMaxLength(LineageNodeRef.MaxIdLength);
        builder.Ignore(e => e.From);
        builder.Ignore(e => e.To);
        // Downstream walks read by (from), upstream walks by (to); an edge is recorded once.
        builder.HasIndex(e => new { e.FromKind, e.FromId, e.ToKind, e.ToId, e.Kind }).IsUnique();
        builder.HasIndex(e => new { e.ToKind, e.ToId });
    }
}

internal sealed class ExternalLineageNodeConfiguration : IEntityTypeConfiguration<ExternalLineageNode>
{
    public void Configure(EntityTypeBuilder<ExternalLineageNode> builder)
    {
        builder.ToTable("ExternalLineageNodes");
        builder.HasKey(n => new { n.Kind, n.Id });
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(n => n.Id).HasMaxLength(LineageNodeRef.MaxIdLength);
        builder.Property(n => n.Namespace).HasMaxLength(ExternalLineageNode.MaxNamespaceLength);
        builder.Property(n => n.Name).HasMaxLength(ExternalLineageNode.MaxNameLength);
        builder.Property(n => n.LastEventType).HasMaxLength(16);
        builder.Ignore(n => n.Ref);
    }
}

internal sealed class OpenLineageEventConfiguration : IEntityTypeConfiguration<OpenLineageEvent>
{
    public void Configure(EntityTypeBuilder<OpenLineageEvent> builder)
    {
        builder.ToTable("OpenLineageEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.EventType).HasMaxLength(16);
        builder.Property(e => e.RunId).HasMaxLength(64);
        builder.Property(e => e.JobNamespace).HasMaxLength(ExternalLineageNode.MaxNamespaceLength);
        builder.Property(e => e.JobName).HasMaxLength(ExternalLineageNode.MaxNameLength);
        builder.Property(e => e.Producer).HasMaxLength(512);
        builder.Property(e => e.ReceivedBy).HasMaxLength(450);
        builder.HasIndex(e => e.RunId);
        builder.HasIndex(e => new { e.JobNamespace, e.JobName });
    }
}
