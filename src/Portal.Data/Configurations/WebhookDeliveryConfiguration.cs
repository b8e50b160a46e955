using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Webhooks;

namespace Portal.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxErrorLength);
        builder.Property(d => d.LeaseOwner).HasMaxLength(128);
        // Each claim sets a new token; the outcome is written only where the token is still the writer's own.
        builder.Property(d => d.ClaimToken).IsConcurrencyToken();
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        // The dispatcher's due query; the admin page lists newest first, optionally of one subscription.
        builder.HasIndex(d => new { d.Status, d.NextAttemptUtc });
        builder.HasIndex(d => d.CreatedUtc);
        builder.HasIndex(d => new { d.SubscriptionId, d.CreatedUtc });
    }
}
