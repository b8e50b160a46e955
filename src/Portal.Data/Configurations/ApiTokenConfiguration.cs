using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Identity;
using Portal.Domain.Security;

namespace Portal.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("ApiTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.UserId).HasMaxLength(450);
        builder.Property(t => t.Name).HasMaxLength(ApiToken.MaxNameLength);
        builder.Property(t => t.DisplayPrefix).HasMaxLength(16);
        builder.Property(t => t.SecretHash).HasMaxLength(64).IsFixedLength();
        builder.Property(t => t.Scopes).HasMaxLength(64);
        builder.HasIndex(t => t.SecretHash).IsUnique();
        builder.HasIndex(t => t.UserId);
        builder.Ignore(t => t.ScopeList);
        builder.Ignore(t => t.IsRevoked);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
