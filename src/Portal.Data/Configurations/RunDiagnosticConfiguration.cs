using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Runs;

namespace Portal.Data.Configurations;

internal sealed class RunDiagnosticConfiguration : IEntityTypeConfiguration<RunDiagnostic>
{
    public void Configure(EntityTypeBuilder<RunDiagnostic> builder)
    {
        builder.ToTable("RunDiagnostics");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Rule).HasMaxLength(64);
        builder.Property(d => d.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Message).HasMaxLength(2000);
        builder.HasIndex(d => d.RunId);
        builder.HasOne<Run>().WithMany().HasForeignKey(d => d.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
