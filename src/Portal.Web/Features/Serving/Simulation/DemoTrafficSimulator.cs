using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Web.Features.Tokens;
using Portal.Web.Startup;

namespace Portal.Web.Features.Serving.Simulation;

/// <summary>
/// Development only: live traffic for the demo models, so that an approved challenger visibly rolls out in steps. Calls the real
/// <c>POST /api/models/{name}/predict</c> over HTTP on the app's own address, with a personal API token (scope predict) it
/// creates for the demo account at start and keeps only in memory; sends generated applications with customer ids as routing
/// keys, and posts their true outcomes to <c>POST /api/feedback</c> after <see cref="DemoTrafficOptions.FeedbackDelaySeconds"/>.
/// A missing endpoint, model or champion is logged once and retried with a growing pause; the simulator never stops the host.
/// </summary>
public sealed class DemoTrafficSimulator(
    IOptions<DemoTrafficOptions> options,
    IOptions<DemoOptions> demo,
    IHostEnvironment environment,
    IServer server,
    IHostApplicationLifetime lifetime,
    IHttpClientFactory httpClients,
    IServiceScopeFactory scopeFactory,
    TokenService tokens,
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider time,
    ILogger<DemoTrafficSimulator> logger) : BackgroundService
{
    public const string HttpClientName = "demo-traffic";

    private static readonly TimeSpan SignatureRefresh = TimeSpan.FromSeconds(30);

    private readonly Channel<(DateTimeOffset Due, DemoFeedbackItem Item)> feedback =
        Channel.CreateBounded<(DateTimeOffset, DemoFeedbackItem)>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || !demo.Value.Enabled || !environment.IsDevelopment())
        {
            return;
        }

        try
        {
            await WhenStartedAsync(stoppingToken);
            var baseAddress = BaseAddress(settings);
            if (baseAddress is null)
            {
                logger.LogInformation("Demo traffic off: the app listens on no address it can call (set Demo:Traffic:BaseAddress).");
                return;
            }

            var secret = await ProvisionTokenAsync(settings, stoppingToken);
            using var client = httpClients.CreateClient(HttpClientName);
            client.BaseAddress = baseAddress;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            logger.LogInformation("Demo traffic: {Rate} requests/s to each of {Models} at {Address}, ground truth after {Delay} s.",
                settings.RequestsPerSecond, string.Join(", ", settings.ModelNames), baseAddress, settings.FeedbackDelaySeconds);
            var senders = settings.ModelNames.Select((model, i) => SendAsync(client, model, settings, settings.Seed + (1000 * i), stoppingToken));
            await Task.WhenAll([.. senders, PostFeedbackAsync(client, settings, stoppingToken)]);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Demo traffic stopped.");
        }
    }

    private async Task WhenStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }

    private Uri? BaseAddress(DemoTrafficOptions settings)
    {
        if (settings.BaseAddress.Length > 0)
        {
            return new Uri(settings.BaseAddress);
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("http:", StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        // A wildcard binding (http://[::]:5080, http://+:80) is called on the loopback address, which AllowedHosts admits.
        var builder = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (builder.Host is "[::]" or "::" or "0.0.0.0")
        {
            builder.Host = "127.0.0.1";
        }

        return builder.Uri;
    }

    /// <summary>A fresh one-day token for the demo account; waits for the demo users to be seeded.</summary>
    private async Task<string> ProvisionTokenAsync(DemoTrafficOptions settings, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(settings.MaxBackoffSeconds);
        while (true)
        {
            await using (var scope = scopeFactory.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
                if (await users.FindByEmailAsync(settings.Account) is { } user)
                {
                    var created = await tokens.CreateAsync(user.Id, new CreateTokenRequest($"demo traffic {time.GetUtcNow():yyyy-MM-dd HH:mm}", [ApiScopes.Predict], 1),
                        AuditActor.Service("demo-traffic"), cancellationToken);
                    if (created.Succeeded)
                    {
                        return created.Value!.Token;
                    }

                    logger.LogWarning("Demo traffic: no token for {Account}: {Error}", settings.Account, created.Error);
                }
            }

            await Task.Delay(backoff.Next(), time, cancellationToken);
        }
    }

    private async Task SendAsync(HttpClient client, string model, DemoTrafficOptions settings, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var rows = new DemoTrafficRows(seed);
        var backoff = new Backoff(settings.MaxBackoffSeconds);
        IReadOnlyList<InputFeature>? signature = null;
        var signatureRead = DateTimeOffset.MinValue;
        string? lastProblem = null;
        var drifts = string.Equals(model, settings.DriftModel, StringComparison.OrdinalIgnoreCase);
        DateTimeOffset? sendingSince = null; // the drift clock starts with the first request the model can answer
        var driftLogged = false;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / settings.RequestsPerSecond), time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            string? problem;
            try
            {
                if (signature is null || time.GetUtcNow() - signatureRead > SignatureRefresh)
                {
                    signature = await SignatureAsync(model, cancellationToken);
                    signatureRead = time.GetUtcNow();
                }

                if (signature is not null)
                {
                    sendingSince ??= time.GetUtcNow();
                }

                var drift = drifts && sendingSince is { } since ? settings.DriftAt(time.GetUtcNow() - since) : 0;
                if (drift > 0 && !driftLogged)
                {
                    driftLogged = true;
                    logger.LogInformation("Demo traffic to {Model} starts drifting: full strength in {Ramp} s.", model, settings.DriftRampSeconds);
                }

                problem = signature is null
                    ? $"model {model} has no champion yet"
                    : await SendOnceAsync(client, model, signature, rows, $"customer-{random.Next(settings.Customers)}", settings,
                        (settings.CovariateDrift * drift, settings.ConceptDrift * drift), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The endpoint not there yet, a timeout, a database hiccup: one failing call never ends the loop.
                problem = ex.Message;
            }

            if (problem is null)
            {
                if (lastProblem is not null)
                {
                    logger.LogInformation("Demo traffic to {Model} flows again.", model);
                }

                lastProblem = null;
                backoff.Reset();
                continue;
            }

            if (problem != lastProblem)
            {
                logger.LogWarning("Demo traffic to {Model} paused: {Problem}. Retrying with a growing pause.", model, problem);
            }

            lastProblem = problem;
            await Task.Delay(backoff.Next(), time, cancellationToken);
        }
    }

    /// <summary>One predict request; null when answered, else what went wrong in words.</summary>
    private async Task<string?> SendOnceAsync(HttpClient client, string model, IReadOnlyList<InputFeature> signature, DemoTrafficRows rows, string routingKey,
        DemoTrafficOptions settings, (double Covariate, double Concept) drift, CancellationToken cancellationToken)
    {
        var batch = Enumerable.Range(0, settings.RowsPerRequest).Select(_ => rows.Next(signature, drift.Covariate, drift.Concept)).ToList();
        var body = new JsonObject
        {
            ["rows"] = new JsonArray([.. batch.Select(r => (JsonNode)r.Inputs)]),
            ["routingKey"] = routingKey,
        };
        using var response = await client.PostAsJsonAsync($"api/models/{Uri.EscapeDataString(model)}/predict", body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            return $"predict answered {(int)response.StatusCode} {detail[..Math.Min(300, detail.Length)]}";
        }

        using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var due = time.GetUtcNow() + TimeSpan.FromSeconds(settings.FeedbackDelaySeconds);
        foreach (var item in DemoFeedbackPairing.Pair(answer.RootElement, batch.Select(r => r.Defaulted).ToList()))
        {
            await feedback.Writer.WriteAsync((due, item), cancellationToken);
        }

        return null;
    }

    private async Task<IReadOnlyList<InputFeature>?> SignatureAsync(string model, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = Portal.Domain.Text.TextRule.NormalizedName(model);
        var modelIds = db.RegisteredModels.Where(m => m.NormalizedName == normalized).Select(m => m.Id);
        return await db.ModelVersions.AsNoTracking().Where(v => modelIds.Contains(v.ModelId) && v.Stage == ModelStage.Production)
            .Select(v => v.InputSignature).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Posts ground truth once due, in batches of what is due together; a failed batch is logged and dropped (it is demo traffic).</summary>
    private async Task PostFeedbackAsync(HttpClient client, DemoTrafficOptions settings, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(settings.MaxBackoffSeconds);
        string? lastProblem = null;
        while (await feedback.Reader.WaitToReadAsync(cancellationToken))
        {
            var items = new List<DemoFeedbackItem>();
            while (items.Count < 500 && feedback.Reader.TryPeek(out var next))
            {
                var wait = next.Due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    if (items.Count > 0)
                    {
                        break;
                    }

                    await Task.Delay(wait, time, cancellationToken);
                }

                if (feedback.Reader.TryRead(out var item))
                {
                    items.Add(item.Item);
                }
            }

            if (items.Count == 0)
            {
                continue;
            }

            string? problem;
            try
            {
                using var response = await client.PostAsJsonAsync("api/feedback",
                    new { items = items.Select(i => new { predictionId = i.PredictionId, actualLabel = i.ActualLabel }) }, cancellationToken);
                problem = response.IsSuccessStatusCode || (int)response.StatusCode == 207 ? null : $"feedback answered {(int)response.StatusCode}";
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                problem = ex.Message;
            }

            if (problem is null)
            {
                lastProblem = null;
                backoff.Reset();
                continue;
            }

            if (problem != lastProblem)
            {
                logger.LogWarning("Demo ground truth not posted ({Count} labels dropped): {Problem}. Retrying with a growing pause.", items.Count, problem);
            }

            lastProblem = problem;
            await Task.Delay(backoff.Next(), time, cancellationToken);
        }
    }

    /// <summary>Pauses that double from one second up to a limit; back to one second after a success.</summary>
    private sealed class Backoff(double maxSeconds)
    {
        private double seconds = 0.5;

        public TimeSpan Next()
        {
            seconds = Math.Min(maxSeconds, seconds * 2);
            return TimeSpan.FromSeconds(seconds);
        }

        public void Reset() => seconds = 0.5;
    }
}
