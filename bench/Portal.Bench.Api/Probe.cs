using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Runs;
using Portal.Domain.Audit;
using Portal.Domain.Runs;
using Portal.Domain.Security;

namespace Portal.Bench.Api;

/// <summary>"--only probe": where one log-batch request spends its time (auth + routing, body size, the service alone).</summary>
internal static class Probe
{
    public static async Task RunAsync(BenchHost host, string token, string userId, int n)
    {
        using var client = host.ClientWith(token);
        using var created = await client.PostAsJsonAsync("/api/runs", new { experiment = "bench-probe", mode = "external" });
        var runId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var one = new { metrics = new[] { new { key = "a", value = 1.0, step = 1L, timestamp = 0L } } };
        var thousand = new { metrics = Enumerable.Range(0, 1000).Select(i => new { key = $"k{i % 10}", value = 1.0 * i, step = (long)i, timestamp = 0L }).ToArray() };
        await TimeAsync("GET /api/runs/{id}", n, async () => (await client.GetAsync($"/api/runs/{runId}")).EnsureSuccessStatusCode());
        await TimeAsync("POST log-batch, 1 metric", n, async () => (await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", one)).EnsureSuccessStatusCode());
        await TimeAsync("POST log-batch, 1000 metrics", n, async () => (await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", thousand)).EnsureSuccessStatusCode());
        var service = host.Services.GetRequiredService<ExternalRunTracking>();
        var owner = AuditActor.User(userId, "bench");
        var batch = new LogBatch(
            [.. thousand.metrics.Select(m => new LoggedMetric(m.key, m.value, m.step, DateTimeOffset.FromUnixTimeMilliseconds(m.timestamp).UtcDateTime))], [], []);
        await TimeAsync("ExternalRunTracking.LogBatchAsync, 1000 metrics", n, async () =>
        {
            var result = await service.LogBatchAsync(new RunId(runId), batch, owner, [Roles.DataScientist], CancellationToken.None);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(result.Error);
            }
        });
    }

    private static async Task TimeAsync(string what, int n, Func<Task> action)
    {
        await action();
        var millis = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            millis.Add(clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"  {what,-42} {Percentiles.Of(millis)} load={Machine.Load()}");
    }
}
