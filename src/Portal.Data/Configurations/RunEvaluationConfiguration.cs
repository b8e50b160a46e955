using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Runs;

namespace Portal.Data.Configurations;

internal sealed class RunEvaluationConfiguration : IEntityTypeConfiguration<RunEvaluation>
{
    public void Configure(EntityTypeBuilder<RunEvaluation> builder)
    {
        builder.ToTable("RunEvaluations");
        builder.HasKey(e => e.RunId);
        builder.HasOne<Run>().WithOne().HasForeignKey<RunEvaluation>(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
