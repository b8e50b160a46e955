using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Runs;

namespace Portal.Data.Configurations;

internal sealed class RunLogLineConfiguration : IEntityTypeConfiguration<RunLogLine>
{
    public void Configure(EntityTypeBuilder<RunLogLine> builder)
    {
        builder.ToTable("RunLogLines");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Message).HasMaxLength(RunLogLine.MaxMessageLength);
        builder.HasIndex(l => new { l.RunId, l.Id });
        builder.HasOne<Run>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
