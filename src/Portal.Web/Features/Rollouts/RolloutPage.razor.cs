using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Data.Live;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Rollouts;

/// <summary>
/// One rollout, live: its state and reason, the traffic split, per-minute figures of both arms and the verdict of each closed
/// step. A <see cref="RolloutChanged"/> on the rollout's topic re-reads it at once; while it is active the figures are also
/// re-read every <see cref="RefreshInterval"/>, since predictions and ground truth arrive without an event of their own.
/// </summary>
public sealed partial class RolloutPage
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource disposed = new();
    private RolloutPageDetails? details;
    private bool notFound;
    private bool mayManage;
    private AuditActor actor = null!;
    private IReadOnlyList<string> roles = [];
    private LiveSubscription? subscription;

    [Parameter]
    public Guid RolloutGuid { get; set; }

    [Inject]
    private RolloutPageQueries Rollouts { get; set; } = default!;

    [Inject]
    private LiveEventBus Live { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private RolloutId Id => RolloutId.From(RolloutGuid);

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        roles = user.RoleNames();
        actor = user.ToAuditActor();
        mayManage = AuthorizationMatrix.IsAllowed(Policies.ManageRollouts, roles);

        // Subscribe, then read: a change committed in between is in the read or arrives after it.
        subscription = await Live.SubscribeAsync([LiveTopics.Rollout(Id)], null,
            envelope => envelope.Event is RolloutChanged ? InvokeAsync(RefreshAsync) : Task.CompletedTask,
            () => InvokeAsync(RefreshAsync),
            disposed.Token);
        await LoadAsync();
        _ = RefreshWhileActiveAsync();
    }

    private async Task LoadAsync()
    {
        var loaded = await Rollouts.GetAsync(Id, disposed.Token);
        notFound = loaded is null;
        details = loaded;
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

    private async Task RefreshWhileActiveAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(RefreshInterval, Time);
            while (await timer.WaitForNextTickAsync(disposed.Token))
            {
                if (details?.Summary.IsActive == true)
                {
                    await InvokeAsync(RefreshAsync);
                }
            }
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    public void Dispose()
    {
        subscription?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }
}
