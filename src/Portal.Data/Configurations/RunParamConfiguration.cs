using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Runs;

namespace Portal.Data.Configurations;

internal sealed class RunParamConfiguration : IEntityTypeConfiguration<RunParam>
{
    public void Configure(EntityTypeBuilder<RunParam> builder)
    {
        builder.ToTable("RunParams");
        builder.HasKey(p => new { p.RunId, p.IsTag, p.Key });
        builder.Property(p => p.Key).HasMaxLength(RunParam.MaxKeyLength);
        builder.Property(p => p.Value).HasMaxLength(RunParam.MaxValueLength);
        builder.HasOne<Run>().WithMany().HasForeignKey(p => p.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
