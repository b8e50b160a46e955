using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Bench.Api;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Web.Features.Registry;

namespace Portal.Bench.Registry;

/// <summary>One measured line: a page (or the query a page's table runs once its circuit is up) and its latencies.</summary>
internal sealed record PageResult(string Name, Percentiles Latency, string Check, string Load);

/// <summary>
/// Sequential authenticated GETs of the registry pages as the manager's browser makes them on navigation (server
/// prerendering: the HTML the user first sees), each checked for the data it must carry, plus the reads the two tables
/// (inbox, models list) make after the circuit starts, timed in-process on the same services the pages call.
/// </summary>
internal static class PageBenchmark
{
    public static async Task<List<PageResult>> RunAsync(RegistryHost host, HttpClient manager, SeededRegistry registry, string managerId, RegistryBenchOptions options)
    {
        var random = new Random(3);
        var results = new List<PageResult>();
        var pending = registry.Pending;
        var names = registry.ModelNames;

        results.Add(await TimeAsync("GET /promotions (inbox)", options, async () =>
        {
            var html = await GetAsync(manager, "/promotions");
            Require(html, "data-testid=\"inbox-table\"", "/promotions");
            return html.Contains("data-testid=\"inbox-request-link\"", StringComparison.Ordinal) ? "rows in the prerendered HTML"
                : html.Contains("data-testid=\"inbox-empty\"", StringComparison.Ordinal) ? "table shell only, showing its empty text; rows load after the circuit starts"
                : "table shell only (rows load after the circuit starts)";
        }));

        results.Add(await TimeAsync("GET /promotions/{id} (evidence)", options, async () =>
        {
            var (id, sha) = pending[random.Next(pending.Count)];
            var html = await GetAsync(manager, $"/promotions/{id}");
            Require(html, sha, $"/promotions/{id} (its evidence hash)");
            Require(html, "data-testid=\"evidence-importance\"", $"/promotions/{id} (the evidence view, feature importance)");
            return "evidence hash and evidence view in the prerendered HTML";
        }));

        results.Add(await TimeAsync("GET /models", options, async () =>
        {
            var html = await GetAsync(manager, "/models");
            Require(html, "data-testid=\"models-table\"", "/models");
            return html.Contains("data-testid=\"model-link\"", StringComparison.Ordinal) ? "rows in the prerendered HTML"
                : html.Contains("data-testid=\"models-empty\"", StringComparison.Ordinal) ? "table shell only, showing its empty text; rows load after the circuit starts"
                : "table shell only (rows load after the circuit starts)";
        }));

        results.Add(await TimeAsync("GET /models/{name}", options, async () =>
        {
            var name = names[random.Next(names.Count)];
            var html = await GetAsync(manager, $"/models/{Uri.EscapeDataString(name)}");
            Require(html, $">{name}</h1>", $"/models/{name} (its heading)");
            Require(html, "data-testid=\"version-row\"", $"/models/{name} (its versions)");
            return "model, versions and history in the prerendered HTML";
        }));

        // What the two tables read once the circuit is up (MudTable's ServerData): the same calls, on the app's own services.
        var queries = host.Services.GetRequiredService<RegistryQueries>();
        var pages = host.Services.GetRequiredService<RegistryPageQueries>();
        results.Add(await TimeAsync("  inbox table read (InboxAsync, 25 rows)", options, async () =>
        {
            var page = await queries.InboxAsync(InboxView.Managers, 0, 25, CancellationToken.None);
            return page.Total == pending.Count && page.Items.Count == Math.Min(25, pending.Count)
                ? $"{page.Total} pending, first page full"
                : throw new InvalidOperationException($"The inbox read {page.Items.Count} of {page.Total} requests; {pending.Count} are pending.");
        }));
        results.Add(await TimeAsync("  models table read (ListModelsAsync, 25 rows)", options, async () =>
        {
            var page = await queries.ListModelsAsync(null, 0, 25, CancellationToken.None);
            return page.Total == names.Count ? $"{page.Total} models, first page full" : throw new InvalidOperationException($"The models list counts {page.Total}, not {names.Count}.");
        }));
        results.Add(await TimeAsync("  evidence page reads (GetRequest + ViewerActions)", options, async () =>
        {
            var (id, _) = pending[random.Next(pending.Count)];
            var details = await queries.GetRequestAsync(id, withEvidence: true, CancellationToken.None);
            await pages.ViewerActionsAsync(id, managerId, [Roles.BusinessManager], details!.Summary.EvidenceSha256, CancellationToken.None);
            return details.EvidenceJson is { Length: > 0 } json ? $"evidence JSON {json.Length:N0} chars" : throw new InvalidOperationException("No evidence JSON read.");
        }));
        return results;
    }

    private static async Task<PageResult> TimeAsync(string name, RegistryBenchOptions options, Func<Task<string>> request)
    {
        var check = "";
        for (var i = 0; i < options.Warmup; i++)
        {
            check = await request();
        }

        var millis = new List<double>(options.Requests);
        for (var i = 0; i < options.Requests; i++)
        {
            var clock = Stopwatch.StartNew();
            check = await request();
            millis.Add(clock.Elapsed.TotalMilliseconds);
        }

        var result = new PageResult(name, Percentiles.Of(millis), check, Machine.Load());
        Console.WriteLine($"    {name,-52} {result.Latency} load={result.Load} ({check})");
        return result;
    }

    private static async Task<string> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {(response.Headers.Location is { } l ? $"to {l}" : body[..Math.Min(300, body.Length)])}");
    }

    private static void Require(string html, string marker, string what)
    {
        if (!html.Contains(marker, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"GET {what}: the prerendered HTML lacks \"{marker}\" — the page would be timed as an empty shell.");
        }
    }
}
