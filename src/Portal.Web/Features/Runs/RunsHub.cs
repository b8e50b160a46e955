using Microsoft.AspNetCore.SignalR;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Live;
using Portal.Web.Features.Runs.Queries;

namespace Portal.Web.Features.Runs;

/// <summary>
/// Live updates of runs for clients outside the Blazor circuit (scripts, notebooks, other services): the
/// <c>run:{id}</c> topic of the live-event path with run-shaped messages. Authorized by <c>ReadExperiments</c> where it
/// is mapped; clients that cannot set headers (browsers' WebSockets) pass their token as <c>access_token</c>. Holds no
/// state; a connection is closed once its credential no longer admits it (<see cref="HubSessions"/>).
/// </summary>
public sealed class RunsHub(RunQueries runs, HubTopicSubscriptions subscriptions, HubSessions sessions)
    : TopicHub<IRunsClient>(subscriptions, sessions, Policies.ReadExperiments)
{
    /// <summary>
    /// Subscribes to the run and returns what the database holds now, with the sequence delivery starts after. The
    /// subscription starts before the read, so a point written meanwhile may arrive in both, never in neither:
    /// subscribers merge points by key and step.
    /// </summary>
    public Task<RunSnapshotMessage> SubscribeToRun(Guid runId) => SubscribeToRunAsync(new RunId(runId));

    private async Task<RunSnapshotMessage> SubscribeToRunAsync(RunId runId)
    {
        var sequence = await SubscribeAsync(runId, null);
        var run = await runs.GetAsync(runId, Context.ConnectionAborted);
        if (run is null)
        {
            Subscriptions.Unsubscribe(Context.ConnectionId, LiveTopics.Run(runId));
            throw new HubException($"Run {runId} does not exist.");
        }

        var curves = await runs.CurvesAsync(runId, null, Context.ConnectionAborted);
        return new RunSnapshotMessage(run.RunId.Value, run.Status.ToString(), run.Progress, run.ProgressStage,
            [.. curves.SelectMany(c => c.Value.Select(p => new MetricPointMessage(c.Key, p.Value, p.Step)))], run.FailureReason, sequence);
    }

    /// <summary>
    /// After a reconnect: every update of the run after <paramref name="afterSequence"/> (the last one received), from
    /// the outbox, then live; or <c>Resync(runId)</c> if the outbox no longer holds it (subscribe again for a snapshot).
    /// </summary>
    public async Task ResumeRun(Guid runId, long afterSequence)
    {
        if (afterSequence < 0)
        {
            throw new HubException("afterSequence must be 0 or more.");
        }

        await SubscribeAsync(new RunId(runId), afterSequence);
    }

    public void UnsubscribeFromRun(Guid runId) => Subscriptions.Unsubscribe(Context.ConnectionId, LiveTopics.Run(new RunId(runId)));

    private Task<long> SubscribeAsync(RunId runId, long? afterSequence)
    {
        var client = Clients.Caller;
        return Subscriptions.SubscribeAsync(Context.ConnectionId, LiveTopics.Run(runId), afterSequence,
            envelope => envelope.Event is RunChanged changed ? client.RunUpdated(RunUpdateMessage.Of(envelope.Sequence, changed)) : Task.CompletedTask,
            () => client.Resync(runId.Value),
            Context.ConnectionAborted);
    }
}
