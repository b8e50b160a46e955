using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portal.Data;
using Portal.Data.Tests.Infrastructure;
using Portal.Data.Webhooks;
using Portal.Domain.Webhooks;
using Portal.Worker.Training;
using Portal.Worker.Webhooks;

namespace Portal.Worker.Tests.Webhooks;

/// <summary>
/// The dispatcher against a real HTTP receiver on Kestrel and a real SQLite file: signed deliveries the receiver can
/// verify, back-off on failure, a hanging receiver that times out without holding up the change that enqueued the
/// event, and two dispatchers (two service containers over one database file, as two processes) that never post the
/// same delivery twice.
/// </summary>
public sealed class WebhookDispatcherTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>, IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> providers = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<string> logs = [];
    private TestReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await TestReceiver.StartAsync();
        await using var db = await database.Factory.CreateDbContextAsync();
        await db.WebhookDeliveries.ExecuteDeleteAsync();
        await db.WebhookSubscriptions.ExecuteDeleteAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task DeliversOn200WithASignatureTheReceiverVerifies()
    {
        var (subscription, secret) = await SubscribeAsync(receiver.Url, [WebhookEventTypes.PromotionApproved]);
        await EnqueueAsync(WebhookEventTypes.PromotionApproved, new { model = "churn", version = 3 });

        Assert.Equal(1, await Dispatcher("worker-a").DispatchDueAsync(CancellationToken.None));

        var request = Assert.Single(receiver.Requests);
        var verification = WebhookSignature.Verify(secret, request.Header(WebhookSignature.SignatureHeader), request.Body, time.GetUtcNow());
        Assert.True(verification.IsValid, verification.Reason);
        var delivery = Assert.Single(await DeliveriesAsync());
        Assert.Equal(delivery.Id.ToString(), request.Header(WebhookSignature.DeliveryHeader));
        Assert.Equal("promotion.approved", request.Header(WebhookSignature.EventHeader));
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(delivery.Id.ToString(), body.RootElement.GetProperty("id").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("data").GetProperty("version").GetInt32());
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(200, delivery.LastStatusCode);
        Assert.Equal(time.GetUtcNow().UtcDateTime, delivery.DeliveredUtc);
        Assert.Null(delivery.LeaseOwner);
        Assert.Equal(subscription, delivery.SubscriptionId);
    }

    [Fact]
    public async Task OnlyActiveSubscriptionsThatWantTheEventGetADelivery()
    {
        var (wanted, _) = await SubscribeAsync(receiver.Url, [WebhookEventTypes.PromotionRejected]);
        var (all, _) = await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await SubscribeAsync(receiver.Url, [WebhookEventTypes.PromotionApproved]);
        var (inactive, _) = await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await DeactivateAsync(inactive);

        await EnqueueAsync(WebhookEventTypes.PromotionRejected, new { model = "churn" });

        Assert.Equal(new[] { all, wanted }.OrderBy(id => id.Value), (await DeliveriesAsync()).Select(d => d.SubscriptionId).OrderBy(id => id.Value));
    }

    [Fact]
    public async Task ReceiverAnswering500IsRetriedAfterTheBackOffAndTheAttemptsAreRecorded()
    {
        await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await EnqueueAsync(WebhookEventTypes.ModelStageChanged, new { model = "churn", stage = "Production" });
        var dispatcher = Dispatcher("worker-a");
        receiver.Answer = 500;

        await dispatcher.DispatchDueAsync(CancellationToken.None);

        var failed = Assert.Single(await DeliveriesAsync());
        Assert.Equal(WebhookDeliveryStatus.Pending, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(500, failed.LastStatusCode);
        Assert.Contains("500", failed.LastError);
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddSeconds(10), failed.NextAttemptUtc);

        // Not due yet: nothing is posted before the back-off has passed.
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Single(receiver.Requests);

        time.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var again = Assert.Single(await DeliveriesAsync());
        Assert.Equal(2, again.Attempts);
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddMinutes(1), again.NextAttemptUtc);

        receiver.Answer = 204;
        time.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var delivered = Assert.Single(await DeliveriesAsync());
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
        Assert.Equal(3, delivered.Attempts);
        Assert.Equal(3, receiver.Requests.Count);
        // Every attempt sends the same body, under the same delivery id.
        Assert.Single(receiver.Requests.Select(r => Encoding.UTF8.GetString(r.Body)).Distinct());
    }

    [Fact]
    public async Task AReceiverThatNeverSucceedsIsGivenUpAfterTheSchedule()
    {
        await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await EnqueueAsync(WebhookEventTypes.PromotionRequested, new { model = "churn" });
        var dispatcher = Dispatcher("worker-a");
        receiver.Answer = 503;

        for (var attempt = 1; attempt <= WebhookRetrySchedule.MaxAttempts; attempt++)
        {
            Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
            time.Advance(WebhookRetrySchedule.DelayAfter(attempt) ?? TimeSpan.FromDays(1));
        }

        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        var gaveUp = Assert.Single(await DeliveriesAsync());
        Assert.Equal(WebhookDeliveryStatus.Failed, gaveUp.Status);
        Assert.Equal(6, gaveUp.Attempts);
        Assert.Null(gaveUp.NextAttemptUtc);
    }

    [Fact]
    public async Task AHangingReceiverTimesOutIsRecordedAndRetriedLater()
    {
        await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await EnqueueAsync(WebhookEventTypes.PromotionApproved, new { model = "churn" });
        receiver.Answer = null;
        var clock = Stopwatch.StartNew();

        await Dispatcher("worker-a", timeoutSeconds: 1).DispatchDueAsync(CancellationToken.None);

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
        var delivery = Assert.Single(await DeliveriesAsync());
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Null(delivery.LastStatusCode);
        Assert.Equal("No answer within 1 s (Webhooks:TimeoutSeconds).", delivery.LastError);
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddSeconds(10), delivery.NextAttemptUtc);
    }

    [Fact]
    public async Task AChangeThatEnqueuesAnEventCommitsWhileADeliveryHangs()
    {
        await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await EnqueueAsync(WebhookEventTypes.PromotionApproved, new { model = "first" });
        receiver.Answer = null;
        var dispatching = Dispatcher("worker-a", timeoutSeconds: 60).DispatchDueAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => !receiver.Requests.IsEmpty, "the receiver to hold the first delivery");

        // The next decision, from another process, enqueues its event and commits while the post still hangs.
        var clock = Stopwatch.StartNew();
        await using (var db = await database.OtherProcess.CreateDbContextAsync())
        {
            Assert.Equal(1, await db.EnqueueWebhooksAsync(WebhookEventTypes.PromotionRejected, new { model = "second" }, time.GetUtcNow()));
            await db.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The enqueuing save took {clock.Elapsed}.");
        Assert.False(dispatching.IsCompleted);
        Assert.Equal(2, (await DeliveriesAsync()).Count);
        receiver.Release();
        await dispatching.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task TwoDispatchersOverOneDatabaseNeverPostTheSameDeliveryTwice()
    {
        await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        for (var i = 0; i < 40; i++)
        {
            await EnqueueAsync(WebhookEventTypes.PromotionRequested, new { request = i });
        }

        var a = Dispatcher("worker-a", factory: database.Factory);
        var b = Dispatcher("worker-b", factory: database.OtherProcess);
        var posted = await Task.WhenAll(Task.Run(() => a.DispatchDueAsync(CancellationToken.None)), Task.Run(() => b.DispatchDueAsync(CancellationToken.None)));

        var deliveries = await DeliveriesAsync();
        Assert.Equal(40, posted.Sum());
        Assert.All(deliveries, d => Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
        var ids = receiver.Requests.Select(r => r.Header(WebhookSignature.DeliveryHeader)).ToList();
        Assert.Equal(40, ids.Count);
        Assert.Equal(deliveries.Select(d => d.Id.ToString()).Order(), ids.Order());
    }

    [Fact]
    public async Task OfTwoDispatchersClaimingOneDeliveryAtOnceExactlyOneWinsUntilItsLeaseExpires()
    {
        await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await EnqueueAsync(WebhookEventTypes.PromotionRequested, new { request = 1 });
        var id = Assert.Single(await DeliveriesAsync()).Id;
        var a = Dispatcher("worker-a", factory: database.Factory);
        var b = Dispatcher("worker-b", factory: database.OtherProcess);

        var claims = await Task.WhenAll(Task.Run(() => a.TryClaimAsync(id, CancellationToken.None)), Task.Run(() => b.TryClaimAsync(id, CancellationToken.None)));

        Assert.Single(claims, c => c is not null);
        Assert.Null(await a.TryClaimAsync(id, CancellationToken.None));
        // A dispatcher that vanished mid-post: after its lease (2 × timeout + 15 s) another takes the delivery over.
        time.Advance(TimeSpan.FromSeconds((2 * 10) + 15 + 1));
        Assert.NotNull(await b.TryClaimAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task PendingDeliveriesOfADeactivatedWebhookGiveUpWithoutBeingSent()
    {
        var (subscription, _) = await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await EnqueueAsync(WebhookEventTypes.PromotionApproved, new { model = "churn" });
        await DeactivateAsync(subscription);

        await Dispatcher("worker-a").DispatchDueAsync(CancellationToken.None);

        Assert.Empty(receiver.Requests);
        var delivery = Assert.Single(await DeliveriesAsync());
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Contains("deactivated", delivery.LastError);
    }

    [Fact]
    public async Task ARedirectIsNotFollowedAndSaysWhere()
    {
        await SubscribeAsync(receiver.Url, [WebhookEventTypes.All]);
        await EnqueueAsync(WebhookEventTypes.PromotionApproved, new { model = "churn" });
        receiver.Answer = 307;

        await Dispatcher("worker-a").DispatchDueAsync(CancellationToken.None);

        Assert.Single(receiver.Requests);
        var delivery = Assert.Single(await DeliveriesAsync());
        Assert.Equal(307, delivery.LastStatusCode);
        Assert.Contains("redirects are not followed", delivery.LastError);
    }

    [Fact]
    public async Task NeitherTheSecretNorTheTargetUrlReachesTheLogs()
    {
        var url = receiver.Url + "?token=receiver-secret-path";
        var (_, secret) = await SubscribeAsync(url, [WebhookEventTypes.All]);
        await EnqueueAsync(WebhookEventTypes.PromotionApproved, new { model = "churn" });
        receiver.Answer = 500;

        await Dispatcher("worker-a").DispatchDueAsync(CancellationToken.None);
        receiver.Answer = 200;
        time.Advance(TimeSpan.FromSeconds(10));
        await Dispatcher("worker-a").DispatchDueAsync(CancellationToken.None);

        Assert.Equal(2, receiver.Requests.Count);
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal) || line.Contains("receiver-secret-path", StringComparison.Ordinal)
                                            || line.Contains(receiver.Url, StringComparison.Ordinal));
    }

    [Fact]
    public void OptionsOutOfRangeStopTheWorkerAtStart()
    {
        var provider = Services("worker-a", database.Factory, new() { ["Webhooks:TimeoutSeconds"] = "0" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value);
        Assert.Contains("TimeoutSeconds", error.Message);
    }

    private WebhookDispatcher Dispatcher(string name, int timeoutSeconds = 10, IDbContextFactory<PortalDbContext>? factory = null) =>
        Services(name, factory ?? database.Factory, new() { ["Webhooks:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .GetRequiredService<WebhookDispatcher>();

    /// <summary>The worker's own registration (<see cref="WebhookDispatcherExtensions.AddWebhookDispatcher"/>) in a container of its own, as in one process.</summary>
    private ServiceProvider Services(string name, IDbContextFactory<PortalDbContext> factory, Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace).AddProvider(new ListLoggerProvider(logs)));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton(factory);
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(new WorkerName(name));
        services.AddWebhookDispatcher();
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        return provider;
    }

    private async Task<(WebhookSubscriptionId Id, string Secret)> SubscribeAsync(string url, IReadOnlyCollection<string> events)
    {
        var (subscription, secret) = WebhookSubscription.Create($"receiver-{Guid.NewGuid():N}", url, events, "admin-1", "admin@portal.local", time.GetUtcNow());
        await using var db = await database.Factory.CreateDbContextAsync();
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync();
        return (subscription.Id, secret);
    }

    private async Task DeactivateAsync(WebhookSubscriptionId id)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        (await db.WebhookSubscriptions.FirstAsync(s => s.Id == id)).Deactivate(time.GetUtcNow());
        await db.SaveChangesAsync();
    }

    private async Task EnqueueAsync(string eventType, object payload)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        await db.EnqueueWebhooksAsync(eventType, payload, time.GetUtcNow());
        await db.SaveChangesAsync();
    }

    private async Task<List<WebhookDelivery>> DeliveriesAsync()
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.WebhookDeliveries.AsNoTracking().OrderBy(d => d.CreatedUtc).ThenBy(d => d.Id).ToListAsync();
    }

    /// <summary>Every log line of every category, at every level, with its exception.</summary>
    private sealed class ListLoggerProvider(System.Collections.Concurrent.ConcurrentBag<string> lines) : Microsoft.Extensions.Logging.ILoggerProvider
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentBag<string> lines) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) =>
                lines.Add($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
