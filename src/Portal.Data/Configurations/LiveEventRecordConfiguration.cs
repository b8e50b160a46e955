using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Live;
using Portal.Domain.Live;

namespace Portal.Data.Configurations;

internal sealed class LiveEventRecordConfiguration : IEntityTypeConfiguration<LiveEventRecord>
{
    public void Configure(EntityTypeBuilder<LiveEventRecord> builder)
    {
        builder.ToTable("LiveEvents");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedOnAdd();
        builder.Property(e => e.Topic).HasMaxLength(LiveTopics.MaxLength);
        builder.Property(e => e.Type).HasMaxLength(64);
        // Resuming a subscriber reads its topics' events after a sequence; pruning reads by age.
        builder.HasIndex(e => new { e.Topic, e.Sequence });
        builder.HasIndex(e => e.CreatedUtc);
    }
}
