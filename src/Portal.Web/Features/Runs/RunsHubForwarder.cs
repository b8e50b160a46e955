using Microsoft.AspNetCore.SignalR;
using Portal.Application.Live;

namespace Portal.Web.Features.Runs;

/// <summary>Forwards the in-process live feed to the run's SignalR group.</summary>
internal sealed class RunsHubForwarder(RunFeed feed, IHubContext<RunsHub, IRunsClient> hub) : IHostedService
{
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = feed.Subscribe(update => hub.Clients.Group(RunsHub.Group(update.RunId)).RunUpdated(new RunUpdateMessage(
            update.RunId, update.Status.ToString(), update.Progress, update.Stage,
            update.Points.Select(p => new MetricPointMessage(p.Key, p.Value, p.Step)).ToList(), update.LogLine)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        return Task.CompletedTask;
    }
}
