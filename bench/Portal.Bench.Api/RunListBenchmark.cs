using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Bench.Api;

/// <summary>First page of GET /api/runs (and /api/experiments) under the filters and sorts a user clicks, measured sequentially (latency, not throughput).</summary>
internal static class RunListBenchmark
{
    public static IReadOnlyList<(string Name, string Url)> Scenarios(Guid experimentId) =>
    [
        ("default (newest first)", "/api/runs?page=0&pageSize=25"),
        ("status=Succeeded", "/api/runs?status=Succeeded&page=0&pageSize=25"),
        ("trainer=LightGbm", "/api/runs?trainer=LightGbm&page=0&pageSize=25"),
        ("experiment filter", $"/api/runs?experimentId={experimentId}&page=0&pageSize=25"),
        ("sort by metric desc", "/api/runs?sortBy=metric&descending=true&page=0&pageSize=25"),
        ("sort by metric asc", "/api/runs?sortBy=metric&descending=false&page=0&pageSize=25"),
        ("submitter contains 'SCIENTIST'", "/api/runs?submittedBy=SCIENTIST&page=0&pageSize=25"),
        ("status+trainer, sort by metric", "/api/runs?status=Succeeded&trainer=FastTree&sortBy=metric&descending=true&page=0&pageSize=25"),
        ("metric range, sort by trainer", "/api/runs?metricMin=0.9&sortBy=trainer&descending=false&page=0&pageSize=25"),
        // The experiments page: each row counts its runs (all, active, succeeded) and dates its last one.
        ("experiments, by last run", "/api/experiments?page=0&pageSize=25"),
        ("experiments, by run count", "/api/experiments?sortBy=runs&page=0&pageSize=25"),
        ("experiments, search 'EXPERIMENT-1'", "/api/experiments?search=EXPERIMENT-1&page=0&pageSize=25"),
    ];

    public static async Task<List<(string Name, int Repeat, Percentiles Latency, long Total, string Load)>> RunAsync(HttpClient client, Guid experimentId, BenchOptions options)
    {
        var results = new List<(string, int, Percentiles, long, string)>();
        for (var repeat = 1; repeat <= options.Repeats; repeat++)
        {
            foreach (var (name, url) in Scenarios(experimentId))
            {
                long total = 0;
                for (var i = 0; i < options.Warmup; i++)
                {
                    total = await GetAsync(client, url);
                }

                var millis = new List<double>(options.Requests);
                for (var i = 0; i < options.Requests; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await GetAsync(client, url);
                    millis.Add(clock.Elapsed.TotalMilliseconds);
                }

                var latency = Percentiles.Of(millis);
                var load = Machine.Load();
                Console.WriteLine($"  [{repeat}] {name,-34} total={total,7} {latency} load={load}");
                results.Add((name, repeat, latency, total, load));
            }
        }

        return results;
    }

    private static async Task<long> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("items").GetArrayLength() == 0 && body.GetProperty("total").GetInt64() > 0)
        {
            throw new InvalidOperationException($"GET {url}: an empty first page of a non-empty list.");
        }

        return body.GetProperty("total").GetInt64();
    }
}
