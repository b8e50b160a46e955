using Microsoft.AspNetCore.Components;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;

namespace Portal.Web.Features.Monitoring;

/// <summary>
/// A model's monitoring dashboard, live: health against the champion's validation figure, live accuracy (or MAE) per window,
/// drift by feature and window, the prediction distribution and data quality of the latest (or linked) window, and the alert
/// feed. A <see cref="MonitoringChanged"/> or <see cref="AlertChanged"/> on the model's monitoring topic re-reads it at once.
/// <c>?window=</c> and <c>?feature=</c> (alerts link here) highlight a window and a feature; <c>?kind=count</c> opens the count windows.
/// </summary>
public sealed partial class MonitoringPage
{
    private readonly CancellationTokenSource disposed = new();
    private MonitoringDashboard? dashboard;
    private bool notFound;
    private WindowKind kind = WindowKind.Time;
    private MonitoringWindowView? selected;
    private MonitoringWindowView? previous;
    private MonitoringWindowId? highlightedWindow;
    private LiveSubscription? subscription;
    private RegisteredModelId? subscribedTo;

    [Parameter]
    public string Name { get; set; } = "";

    /// <summary>The window to highlight (an alert's), by id.</summary>
    [SupplyParameterFromQuery(Name = "window")]
    public string? Window { get; set; }

    /// <summary>The feature to highlight (an alert's).</summary>
    [SupplyParameterFromQuery(Name = "feature")]
    public string? Feature { get; set; }

    /// <summary><c>count</c> for the count windows; time windows otherwise.</summary>
    [SupplyParameterFromQuery(Name = "kind")]
    public string? Kind { get; set; }

    [Inject]
    private MonitoringQueries Monitoring { get; set; } = default!;

    [Inject]
    private LiveEventBus Live { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        kind = string.Equals(Kind, "count", StringComparison.OrdinalIgnoreCase) ? WindowKind.Count : WindowKind.Time;
        highlightedWindow = MonitoringWindowId.TryParse(Window, out var id) ? id : null;
        await LoadAsync();
        if (dashboard is not null && subscribedTo != dashboard.Health.ModelId)
        {
            // Subscribe once the model's id is known, then read again: a window committed in between is in the second read.
            var modelId = dashboard.Health.ModelId;
            subscription?.Dispose();
            subscribedTo = modelId;
            subscription = await Live.SubscribeAsync([LiveTopics.Monitoring(modelId)], null,
                envelope => envelope.Event is MonitoringChanged or AlertChanged ? InvokeAsync(RefreshAsync) : Task.CompletedTask,
                () => InvokeAsync(RefreshAsync),
                disposed.Token);
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        var loaded = await Monitoring.DashboardAsync(Name, kind, MonitoringQueries.DefaultLimit, disposed.Token);
        notFound = loaded is null;
        dashboard = loaded;
        var windows = loaded?.Windows ?? [];
        var index = highlightedWindow is { } wanted ? IndexOf(windows, wanted) : -1;
        index = index >= 0 ? index : windows.Count - 1;
        selected = index >= 0 ? windows[index] : null;
        previous = index >= 1 ? windows[index - 1] : null;
    }

    private static int IndexOf(IReadOnlyList<MonitoringWindowView> windows, MonitoringWindowId id)
    {
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    private async Task RefreshAsync()
    {
        if (disposed.IsCancellationRequested)
        {
            return;
        }

        await LoadAsync();
        StateHasChanged();
    }

    private async Task SetKindAsync(WindowKind wanted)
    {
        if (wanted == kind)
        {
            return;
        }

        kind = wanted;
        await LoadAsync();
    }

    public void Dispose()
    {
        subscription?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }
}
