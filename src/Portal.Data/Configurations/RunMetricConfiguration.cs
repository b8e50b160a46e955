using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Runs;

namespace Portal.Data.Configurations;

internal sealed class RunMetricConfiguration : IEntityTypeConfiguration<RunMetric>
{
    public void Configure(EntityTypeBuilder<RunMetric> builder)
    {
        builder.ToTable("RunMetrics");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Key).HasMaxLength(RunParam.MaxKeyLength);
        builder.HasIndex(m => new { m.RunId, m.Key, m.Step });
        builder.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
