using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Live;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Live;

/// <summary>
/// <c>/hubs/live</c>, the topic hub later features share: a reader follows a run's topic and receives its events with
/// their sequence and type; topics that do not exist and topics the caller may not read are refused with the reason.
/// </summary>
public sealed class LiveHubTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task AReaderFollowingARunTopicReceivesItsEventsWithSequenceTypeAndPayload()
    {
        var runId = await SubmitRunAsync();
        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Dpo, ApiScopes.Read);
        await using var connection = RunsHubSubscriber.Connection(factory, reader.Token, "/hubs/live");
        var events = new ConcurrentQueue<LiveEventMessage>();
        connection.On<LiveEventMessage>(nameof(ILiveClient.Event), events.Enqueue);
        await connection.StartAsync();

        var from = await connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), LiveTopics.Run(new RunId(runId)));
        await using (var db = factory.RemoteDb())
        {
            var run = await db.Runs.FirstAsync(r => r.Id == new RunId(runId));
            run.Claimed("remote-worker", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            db.PublishRunChanged(run, DateTimeOffset.UtcNow, "claimed", [new MetricPoint("train.loss", 0.7, 0)]);
            await db.SaveChangesAsync();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (events.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var received = Assert.Single(events);
        Assert.True(received.Sequence > from);
        Assert.Equal(LiveTopics.Run(new RunId(runId)), received.Topic);
        Assert.Equal("run.changed", received.Type);
        Assert.Equal("Running", received.Payload.GetProperty("status").GetString());
        Assert.Equal("claimed", received.Payload.GetProperty("logLines")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnUnknownTopicAndATopicTheCallerMayNotReadAreRefusedWithTheReason()
    {
        var admin = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Admin, ApiScopes.Read);
        await using var connection = RunsHubSubscriber.Connection(factory, admin.Token, "/hubs/live");
        await connection.StartAsync();

        var unknown = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), "weather:today"));
        var forbidden = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), LiveTopics.Run(new RunId(Guid.NewGuid()))));

        Assert.Contains("is not a topic", unknown.Message);
        Assert.Contains("may not follow", forbidden.Message);
    }

    [Fact]
    public async Task AMonitoringReaderMayFollowTheAlertsTopicAndAModelsMonitoringTopic()
    {
        var dpo = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Dpo, ApiScopes.Read);
        await using var connection = RunsHubSubscriber.Connection(factory, dpo.Token, "/hubs/live");
        await connection.StartAsync();

        var alerts = await connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), LiveTopics.Alerts);
        var monitoring = await connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), LiveTopics.Monitoring(new RegisteredModelId(Guid.NewGuid())));
        var malformed = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), "monitoring:not-an-id"));

        Assert.True(alerts >= 0);
        Assert.True(monitoring >= 0);
        Assert.Contains("is not a topic", malformed.Message);
    }

    private async Task<Guid> SubmitRunAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);
        return await client.SubmitLoanRunAsync(await client.UploadLoansAsync("loans-live-hub", rows: 300, seed: 8), "live-hub", "FastTree");
    }
}
