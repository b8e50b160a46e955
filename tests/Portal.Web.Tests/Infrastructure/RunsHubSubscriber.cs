using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Features.Runs;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// An external client of <c>/hubs/runs</c>, as a notebook or script would be: connects with an API token over the
/// real SignalR protocol (long polling through the test server), subscribes to a run, and records what it receives.
/// </summary>
public sealed class RunsHubSubscriber : IAsyncDisposable
{
    private readonly HubConnection connection;
    private readonly ConcurrentQueue<RunUpdateMessage> updates = new();
    private readonly ConcurrentQueue<Guid> resyncs = new();

    private RunsHubSubscriber(HubConnection connection)
    {
        this.connection = connection;
        connection.On<RunUpdateMessage>(nameof(IRunsClient.RunUpdated), updates.Enqueue);
        connection.On<Guid>(nameof(IRunsClient.Resync), resyncs.Enqueue);
    }

    public IReadOnlyList<RunUpdateMessage> Updates => [.. updates];

    /// <summary>The runs this connection was told to resync (it fell behind, or resumed after what the outbox holds).</summary>
    public IReadOnlyList<Guid> Resyncs => [.. resyncs];

    public RunSnapshotMessage? Snapshot { get; private set; }

    public static HubConnection Connection(WebApplicationFactory<Program> factory, string? token, string hub = "/hubs/runs") =>
        Build(factory, token, null, hub);

    /// <summary>A connection as a page's script opens it: with the browser's sign-in cookie, no token.</summary>
    public static HubConnection CookieConnection(WebApplicationFactory<Program> factory, CookieContainer cookies) =>
        Build(factory, null, cookies, "/hubs/runs");

    private static HubConnection Build(WebApplicationFactory<Program> factory, string? token, CookieContainer? cookies, string hub) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, hub), options =>
            {
                options.HttpMessageHandlerFactory = _ => cookies is null
                    ? factory.Server.CreateHandler()
                    : new CookieContainerHandler(cookies) { InnerHandler = factory.Server.CreateHandler() };
                options.Transports = HttpTransportType.LongPolling;
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .AddJsonProtocol(json => json.PayloadSerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)
            .Build();

    public static async Task<RunsHubSubscriber> ConnectAsync(WebApplicationFactory<Program> factory, string token)
    {
        var subscriber = new RunsHubSubscriber(Connection(factory, token));
        await subscriber.connection.StartAsync();
        return subscriber;
    }

    public async Task SubscribeAsync(Guid runId) =>
        Snapshot = await connection.InvokeAsync<RunSnapshotMessage>(nameof(RunsHub.SubscribeToRun), runId);

    /// <summary>After a reconnect: every update of the run after <paramref name="afterSequence"/>, then live.</summary>
    public Task ResumeAsync(Guid runId, long afterSequence) =>
        connection.InvokeAsync(nameof(RunsHub.ResumeRun), runId, afterSequence);

    /// <summary>Waits until an update with one of the given statuses arrives (the feed's end of a run).</summary>
    public async Task<RunUpdateMessage> WaitForStatusAsync(TimeSpan timeout, params string[] statuses)
    {
        await WaitForAsync(received => received.Any(u => statuses.Contains(u.Status)), timeout, $"a {string.Join("/", statuses)} update");
        return updates.First(u => statuses.Contains(u.Status));
    }

    /// <summary>Polls what has been received until <paramref name="condition"/> holds (or fails the test after <paramref name="timeout"/>).</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<RunUpdateMessage>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Updates))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {what} within {timeout}; received {updates.Count} update(s).");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The snapshot's points merged with every update's, by key and step, as a subscriber is told to merge them.</summary>
    public Dictionary<string, List<(long Step, double Value)>> MergedCurves()
    {
        var merged = new Dictionary<(string Key, long Step), double>();
        foreach (var point in (Snapshot?.Points ?? []).Concat(updates.SelectMany(u => u.Points)))
        {
            merged[(point.Key, point.Step)] = point.Value;
        }

        return merged.GroupBy(p => p.Key.Key).ToDictionary(g => g.Key, g => g.Select(p => (p.Key.Step, p.Value)).OrderBy(p => p.Step).ToList());
    }

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}
