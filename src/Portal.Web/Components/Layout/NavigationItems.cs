using MudBlazor;
using Portal.Web.Features.Alerts;
using Portal.Web.Features.Audit;
using Portal.Web.Features.DataProtection;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Experiments;
using Portal.Web.Features.Home;
using Portal.Web.Features.Lineage;
using Portal.Web.Features.Registry;
using Portal.Web.Features.Rollouts;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Features.Tokens;
using Portal.Web.Features.Users;
using Portal.Web.Features.Webhooks;

namespace Portal.Web.Components.Layout;

public static class NavigationItems
{
    public static readonly IReadOnlyList<NavigationItem> All =
    [
        new("Home", Icons.Material.Filled.Home, typeof(HomePage)),
        new("Datasets", Icons.Material.Filled.TableChart, typeof(DatasetsPage)),
        new("Experiments", Icons.Material.Filled.Science, typeof(ExperimentsPage)),
        new("Runs", Icons.Material.Filled.ShowChart, typeof(RunsPage)),
        new("Models", Icons.Material.Filled.Inventory2, typeof(ModelsPage)),
        new("Inbox", Icons.Material.Filled.Inbox, typeof(PromotionsPage), typeof(InboxBadge)),
        new("Data protection", Icons.Material.Filled.Shield, typeof(DpoWorkspacePage)),
        new("Rollouts", Icons.Material.Filled.Timeline, typeof(RolloutsPage)),
        new("Lineage", Icons.Material.Filled.AccountTree, typeof(LineagePage)),
        new("Alerts", Icons.Material.Filled.NotificationsActive, typeof(AlertsPage)),
        new("Users", Icons.Material.Filled.People, typeof(UsersPage)),
        new("Audit trail", Icons.Material.Filled.Policy, typeof(AuditPage)),
        new("Webhooks", Icons.Material.Filled.Webhook, typeof(WebhooksPage)),
        new("API tokens", Icons.Material.Filled.Key, typeof(TokensPage)),
    ];
}
