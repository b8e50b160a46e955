using Microsoft.AspNetCore.SignalR;

namespace Portal.Web.Features.Runs;

/// <summary>
/// Live updates of runs for clients outside the Blazor circuit (scripts, notebooks, other services). Holds no
/// state: a subscription is a SignalR group per run. Authorized by <c>ReadExperiments</c> where it is mapped.
/// </summary>
public sealed class RunsHub : Hub<IRunsClient>
{
    public static string Group(Guid runId) => $"run-{runId:N}";

    public Task SubscribeToRun(Guid runId) => Groups.AddToGroupAsync(Context.ConnectionId, Group(runId));

    public Task UnsubscribeFromRun(Guid runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(runId));
}
