using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Domain.Runs;
using Portal.Domain.Live;
using Portal.Web.Features.Live;
using Portal.Web.Features.Runs;

namespace Portal.Bench.Live;

internal enum HubKind
{
    /// <summary><c>/hubs/runs</c>: <c>SubscribeToRun</c>/<c>ResumeRun</c>, <c>RunUpdated</c> messages.</summary>
    Runs,

    /// <summary><c>/hubs/live</c>: <c>Subscribe</c>/<c>Resume</c> by topic, <c>Event</c> messages.</summary>
    Live,
}

/// <summary>
/// A real SignalR client (WebSockets, API token as <c>access_token</c>) following some runs on one hub of one node, as
/// a notebook or dashboard would. It records the sequence of every event it receives per topic, from the first
/// subscription through any reconnect, and can be cut off and resumed from the last sequence it saw on another node.
/// </summary>
internal sealed class HubSubscriber : IAsyncDisposable
{
    private readonly string token;
    private readonly Action<WebNode, RunUpdateMessage>? onRunUpdate;
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<long>> received = [];
    private readonly Dictionary<string, long> startedAfter = [];
    private HubConnection? connection;
    private int resyncs;

    public HubSubscriber(int id, HubKind hub, IReadOnlyList<Guid> runs, string token, Action<WebNode, RunUpdateMessage>? onRunUpdate = null)
    {
        Id = id;
        Hub = hub;
        Runs = runs;
        this.token = token;
        this.onRunUpdate = onRunUpdate;
        foreach (var run in runs)
        {
            received[LiveTopics.Run(new RunId(run))] = [];
        }
    }

    public int Id { get; }

    public HubKind Hub { get; }

    public IReadOnlyList<Guid> Runs { get; }

    public WebNode? Node { get; private set; }

    public int Reconnects { get; private set; }

    public int Resyncs => Volatile.Read(ref resyncs);

    /// <summary>Connects to <paramref name="node"/> and subscribes to every run; delivery starts after the returned positions.</summary>
    public async Task ConnectAndSubscribeAsync(WebNode node)
    {
        await ConnectAsync(node);
        foreach (var run in Runs)
        {
            var after = Hub == HubKind.Runs
                ? (await connection!.InvokeAsync<RunSnapshotMessage>(nameof(RunsHub.SubscribeToRun), run)).Sequence
                : await connection!.InvokeAsync<long>(nameof(LiveHub.Subscribe), LiveTopics.Run(new RunId(run)));
            lock (gate)
            {
                startedAfter[LiveTopics.Run(new RunId(run))] = after;
            }
        }
    }

    /// <summary>A forced reconnect: the connection is stopped, a new one opened on <paramref name="node"/>, and every
    /// topic resumed after the last sequence received.</summary>
    public async Task ReconnectAndResumeAsync(WebNode node)
    {
        await connection!.DisposeAsync();
        Reconnects++;
        await ConnectAsync(node);
        foreach (var run in Runs)
        {
            var last = LastReceived(LiveTopics.Run(new RunId(run)));
            if (Hub == HubKind.Runs)
            {
                await connection!.InvokeAsync(nameof(RunsHub.ResumeRun), run, last);
            }
            else
            {
                await connection!.InvokeAsync<long>(nameof(LiveHub.Resume), LiveTopics.Run(new RunId(run)), last);
            }
        }
    }

    public long StartedAfter(string topic)
    {
        lock (gate)
        {
            return startedAfter[topic];
        }
    }

    public IReadOnlyList<long> Received(string topic)
    {
        lock (gate)
        {
            return [.. received[topic]];
        }
    }

    /// <summary>The last sequence received of <paramref name="topic"/>, or where the subscription started.</summary>
    public long LastReceived(string topic)
    {
        lock (gate)
        {
            return received[topic] is { Count: > 0 } list ? list[^1] : startedAfter[topic];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task ConnectAsync(WebNode node)
    {
        var url = new Uri(node.BaseAddress, Hub == HubKind.Runs ? "/hubs/runs" : "/hubs/live");
        var next = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        next.ServerTimeout = TimeSpan.FromMinutes(2);
        if (Hub == HubKind.Runs)
        {
            next.On<RunUpdateMessage>(nameof(IRunsClient.RunUpdated), update =>
            {
                onRunUpdate?.Invoke(node, update);
                Record(LiveTopics.Run(new RunId(update.RunId)), update.Sequence);
            });
            next.On<Guid>(nameof(IRunsClient.Resync), _ => Interlocked.Increment(ref resyncs));
        }
        else
        {
            next.On<LiveEventMessage>(nameof(ILiveClient.Event), message => Record(message.Topic, message.Sequence));
            next.On<string>(nameof(ILiveClient.Resync), _ => Interlocked.Increment(ref resyncs));
        }

        await next.StartAsync();
        connection = next;
        Node = node;
    }

    private void Record(string topic, long sequence)
    {
        lock (gate)
        {
            if (received.TryGetValue(topic, out var list))
            {
                list.Add(sequence);
            }
        }
    }
}
