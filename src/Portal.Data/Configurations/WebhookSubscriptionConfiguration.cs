using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Webhooks;

namespace Portal.Data.Configurations;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("WebhookSubscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(WebhookSubscription.MaxNameLength);
        builder.Property(s => s.Url).HasMaxLength(WebhookSubscription.MaxUrlLength);
        builder.Property(s => s.EventTypes).HasMaxLength(WebhookSubscription.MaxEventTypesLength);
        builder.Property(s => s.Secret).HasMaxLength(128);
        builder.Property(s => s.CreatedById).HasMaxLength(450);
        builder.Property(s => s.CreatedByName).HasMaxLength(256);
        builder.Ignore(s => s.WantsAll);
        builder.Ignore(s => s.EventTypeList);
        // Every enqueue reads the active subscriptions.
        builder.HasIndex(s => s.IsActive);
    }
}
