using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Security;
using Portal.Web.Features.Live;
using Portal.Web.Tests.Infrastructure;
using static Portal.Web.Tests.Monitoring.MonitoringData;

namespace Portal.Web.Tests.Monitoring;

/// <summary>External clients follow a model's monitoring stream and every alert on <c>/hubs/live</c>, as the dashboards do.</summary>
public sealed class MonitoringHubTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private readonly MonitoringData data = new(factory);

    [Fact]
    public async Task ASubscriberToAModelsMonitoringTopicReceivesTheWindowsAndAlertsAnotherContextPublishes()
    {
        var model = await data.ChampionAsync();
        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Dpo, ApiScopes.Read);
        await using var connection = RunsHubSubscriber.Connection(factory, reader.Token, "/hubs/live");
        var events = new ConcurrentQueue<LiveEventMessage>();
        connection.On<LiveEventMessage>(nameof(ILiveClient.Event), events.Enqueue);
        await connection.StartAsync();
        var from = await connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), LiveTopics.Monitoring(model.Id));
        await connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), LiveTopics.Alerts);

        var window = await data.WindowAsync(model, 1, 0.81, [Numeric("income", 0.3, true)]);
        await data.AlertAsync(model, window, AlertRule.Drift, "income", AlertSeverity.Warning, "PSI 0.30 on income");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (events.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var received = events.ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, e => Assert.True(e.Sequence > from));
        var changed = Assert.Single(received, e => e.Type == "monitoring.changed");
        Assert.Equal(LiveTopics.Monitoring(model.Id), changed.Topic);
        Assert.Equal(0.81, changed.Payload.GetProperty("accuracy").GetDouble());
        Assert.Equal(window.Id.ToString(), changed.Payload.GetProperty("windowId").GetString());
        Assert.Equal([LiveTopics.Alerts, LiveTopics.Monitoring(model.Id)],
            received.Where(e => e.Type == "alert.changed").Select(e => e.Topic).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AMonitoringTopicOfSomethingThatIsNotAModelIdIsNotATopic()
    {
        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read);
        await using var connection = RunsHubSubscriber.Connection(factory, reader.Token, "/hubs/live");
        await connection.StartAsync();

        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(
            () => connection.InvokeAsync<long>(nameof(LiveHub.Subscribe), "monitoring:not-a-model"));

        Assert.Contains("is not a topic", refused.Message);
        Assert.Contains("monitoring:<model id>", refused.Message);
    }
}
