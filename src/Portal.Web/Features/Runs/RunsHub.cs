using Microsoft.AspNetCore.SignalR;
using Portal.Web.Features.Runs.Queries;

namespace Portal.Web.Features.Runs;

/// <summary>
/// Live updates of runs for clients outside the Blazor circuit (scripts, notebooks, other services). Holds no
/// state: a subscription is a SignalR group per run. Authorized by <c>ReadExperiments</c> where it is mapped;
/// clients that cannot set headers (browsers' WebSockets) pass their token as <c>access_token</c>. A token's
/// connection is closed once the token no longer admits it (<see cref="RunsHubSessions"/>).
/// </summary>
public sealed class RunsHub(RunQueries runs, RunsHubSessions sessions) : Hub<IRunsClient>
{
    public static string Group(Guid runId) => $"run-{runId:N}";

    public override Task OnConnectedAsync()
    {
        sessions.Opened(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Closed(Context);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>
    /// Joins the run's group and returns what the database holds now. The group is joined before the read, so a
    /// point written meanwhile may arrive in both, never in neither: subscribers merge points by key and step.
    /// </summary>
    public async Task<RunSnapshotMessage> SubscribeToRun(Guid runId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(runId));
        var run = await runs.GetAsync(runId, Context.ConnectionAborted);
        if (run is null)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(runId));
            throw new HubException($"Run {runId} does not exist.");
        }

        var curves = await runs.CurvesAsync(runId, null, Context.ConnectionAborted);
        return new RunSnapshotMessage(run.RunId, run.Status.ToString(), run.Progress, run.ProgressStage,
            [.. curves.SelectMany(c => c.Value.Select(p => new MetricPointMessage(c.Key, p.Value, p.Step)))], run.FailureReason);
    }

    public Task UnsubscribeFromRun(Guid runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(runId));
}
