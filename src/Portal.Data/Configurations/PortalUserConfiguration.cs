using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Identity;

namespace Portal.Data.Configurations;

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> builder) =>
        builder.Property(u => u.DisplayName).HasMaxLength(PortalUser.MaxDisplayNameLength);
}
