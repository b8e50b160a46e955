using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Operations;

namespace Portal.Data.Configurations;

internal sealed class WorkerHeartbeatConfiguration : IEntityTypeConfiguration<WorkerHeartbeat>
{
    public void Configure(EntityTypeBuilder<WorkerHeartbeat> builder)
    {
        builder.ToTable("WorkerHeartbeats");
        builder.HasKey(w => w.WorkerId);
        builder.Property(w => w.WorkerId).HasMaxLength(128);
        builder.Property(w => w.HostName).HasMaxLength(256);
    }
}
