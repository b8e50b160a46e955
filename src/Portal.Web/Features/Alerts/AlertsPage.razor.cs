using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Application;
using Portal.Application.Monitoring;
using Portal.Data.Live;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Security;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Alerts;

/// <summary>
/// Every alert of every model, newest first, filtered and paged on the server; live: an <see cref="AlertChanged"/> on
/// <see cref="LiveTopics.Alerts"/> (raised, repeated, acknowledged, resolved, cleared, by anyone) re-reads the page shown.
/// Those who may handle alerts acknowledge (with a comment) or resolve them here.
/// </summary>
public sealed partial class AlertsPage
{
    private readonly CancellationTokenSource disposed = new();
    private MudTable<AlertRow>? table;
    private LiveSubscription? subscription;
    private IReadOnlyList<string> models = [];
    private string? search;
    private AlertStatusFilter? status;
    private string? model;
    private AlertRule? rule;
    private AlertSeverity? severity;
    private bool mayManage;
    private AuditActor actor = null!;
    private IReadOnlyList<string> roles = [];

    [Inject]
    private AlertQueries Alerts { get; set; } = default!;

    [Inject]
    private AlertHandling Handling { get; set; } = default!;

    [Inject]
    private LiveEventBus Live { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private bool IsUnfiltered => string.IsNullOrWhiteSpace(search) && status is null && model is null && rule is null && severity is null;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        roles = user.RoleNames();
        actor = user.ToAuditActor();
        mayManage = MonitoringAlert.MayHandle(roles);

        // Subscribe, then read (the table reads on its first render): a change committed in between is in the read or brings its own event.
        subscription = await Live.SubscribeAsync([LiveTopics.Alerts], null,
            envelope => envelope.Event is AlertChanged ? InvokeAsync(RefreshAsync) : Task.CompletedTask,
            () => InvokeAsync(RefreshAsync),
            disposed.Token);
        models = await Alerts.ModelNamesAsync(disposed.Token);
    }

    private async Task<TableData<AlertRow>> LoadAsync(TableState tableState, CancellationToken cancellationToken)
    {
        var page = await Alerts.ListAsync(new AlertFilter(status, model, rule, severity, search), tableState.Page, tableState.PageSize, cancellationToken);
        return new TableData<AlertRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task RefreshAsync()
    {
        if (disposed.IsCancellationRequested || table is null)
        {
            return;
        }

        try
        {
            models = await Alerts.ModelNamesAsync(disposed.Token);
            await table.ReloadServerData();
            StateHasChanged();
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private Task OnSearchAsync(string? text) => FilterAsync(() => search = text);

    private Task OnStatusAsync(AlertStatusFilter? value) => FilterAsync(() => status = value);

    private Task OnModelAsync(string? value) => FilterAsync(() => model = value);

    private Task OnRuleAsync(AlertRule? value) => FilterAsync(() => rule = value);

    private Task OnSeverityAsync(AlertSeverity? value) => FilterAsync(() => severity = value);

    private async Task FilterAsync(Action set)
    {
        set();
        await table!.ReloadServerData();
    }

    private Task AcknowledgeAsync(AlertRow alert) => ActAsync("Acknowledge alert",
        $"Acknowledge the {RuleText(alert.Rule).ToLowerInvariant()} alert on {Subject(alert)}? Say what is being done about it: the comment goes to the audit trail and the webhooks.",
        "Acknowledge", commentRequired: true, (comment, ct) => Handling.AcknowledgeAsync(alert.Id, comment, actor, roles, ct), "Alert acknowledged.");

    private Task ResolveAsync(AlertRow alert) => ActAsync("Resolve alert",
        $"Resolve the {RuleText(alert.Rule).ToLowerInvariant()} alert on {Subject(alert)}? It leaves the list of active alerts; if its cause is seen again after the cool-down, a new alert is raised.",
        "Resolve", commentRequired: false, (comment, ct) => Handling.ResolveAsync(alert.Id, comment, actor, roles, ct), "Alert resolved.");

    private async Task ActAsync(string title, string explanation, string confirm, bool commentRequired,
        Func<string, CancellationToken, Task<OperationResult<MonitoringAlert>>> act, string done)
    {
        var parameters = new DialogParameters<AlertActionDialog>
        {
            { d => d.Explanation, explanation },
            { d => d.CommentRequired, commentRequired },
            { d => d.ConfirmText, confirm },
            { d => d.Submit, async comment => (await act(comment, disposed.Token)) is { Succeeded: false } failed ? failed.Error : null },
        };
        var dialog = await Dialogs.ShowAsync<AlertActionDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add(done, Severity.Success);
            await RefreshAsync();
        }
    }

    private static string Subject(AlertRow alert) => alert.Feature.Length > 0 ? $"{alert.Model} ({alert.Feature})" : alert.Model;

    private static string StatusText(AlertStatusFilter filter) => filter == AlertStatusFilter.Active ? "Active (open or acknowledged)" : filter.ToString();

    internal static string RuleText(AlertRule rule) => rule switch
    {
        AlertRule.AccuracyDrop => "Accuracy drop",
        AlertRule.DataQuality => "Data quality",
        AlertRule.SchemaViolation => "Schema violation",
        AlertRule.RolloutRolledBack => "Rollout rolled back",
        _ => "Drift",
    };

    private static string WhereSeen(AlertRow alert) => alert is { WindowStartUtc: { } start, WindowEndUtc: { } end }
        ? $"window {start.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)}–{end.ToString("HH:mm", CultureInfo.InvariantCulture)}"
        : "rollout";

    public void Dispose()
    {
        subscription?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }
}
