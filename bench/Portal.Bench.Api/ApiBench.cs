// End-to-end figures for the run list and log-batch ingest (docs/benchmarks.md). Release build:
//   dotnet run -c Release --project bench/Portal.Bench.Api -- [--runs 100000] [--metrics-per-run 100] [--requests 200]
//       [--warmup 20] [--ingest-clients 4] [--ingest-batches 100] [--repeats 2] [--in-process] [--only list|ingest] [--data-dir DIR]
// CI smoke: --runs 2000 --metrics-per-run 20 --requests 20 --ingest-batches 5 --repeats 1
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;


namespace Portal.Bench.Api;

/// <summary>Entry point; not top-level statements, whose <c>Program</c> class would clash with the web app's.</summary>
internal static class ApiBench
{
    public static async Task Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        var options = BenchOptions.Parse(args);
        var dataDirectory = options.DataDirectory is { } given ? Path.GetFullPath(given) : Path.Combine(Path.GetTempPath(), "portal-bench", Guid.NewGuid().ToString("N"));
        // WebApplicationFactory finds the app's content root through MvcTestingAppManifest.json in the working folder.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var reuse = File.Exists(Path.Combine(dataDirectory, "portal.db"));
        Console.WriteLine($"Portal.Bench.Api {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Machine.Load()}, " +
            $"{(options.InProcess ? "in-process TestServer" : "Kestrel on loopback")}, data {dataDirectory}{(reuse ? " (reused)" : "")}");
        Console.WriteLine($"  {options}");

        await using var host = new BenchHost(dataDirectory, options.InProcess);
        var startClock = Stopwatch.StartNew();
        host.StartServer(); // migrates the fresh database and seeds the demo users
        Console.WriteLine($"  app started and migrated in {startClock.Elapsed.TotalSeconds:F1} s");
        var (userId, token) = await host.CreateTokenAsync();

        TimeSpan? seedTime = null;
        List<Guid> experimentIds;
        if (!reuse)
        {
            (var elapsed, experimentIds) = await Seeder.SeedAsync(host.DatabasePath, options, userId, BenchHost.Scientist);
            seedTime = elapsed;
        }
        else
        {
            await using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Id FROM Experiments WHERE Name LIKE 'bench-experiment-%' ORDER BY Name";
            await using var reader = await command.ExecuteReaderAsync();
            experimentIds = [];
            while (await reader.ReadAsync())
            {
                experimentIds.Add(Guid.Parse(reader.GetString(0)));
            }
        }

        Console.WriteLine($"  database: {await Seeder.CountAsync(host.DatabasePath, "Runs"):N0} runs, {await Seeder.CountAsync(host.DatabasePath, "RunMetrics"):N0} metric rows");

        using var client = host.ClientWith(token);
        if (options.Only is "probe")
        {
            await Probe.RunAsync(host, token, userId, options.Requests);
        }

        if (options.Only is null or "list")
        {
            Console.WriteLine("Run list, first page (sequential requests after warm-up):");
            var list = await RunListBenchmark.RunAsync(client, experimentIds[0], options);
            var worst = list.Max(r => r.Latency.P95);
            Console.WriteLine($"  worst p95 {worst:F1} ms: target p95 <= 300 ms {(worst <= 300 ? "MET" : "NOT MET")}");
        }

        if (options.Only is null or "ingest")
        {
            Console.WriteLine("log-batch ingest:");
            var ingest = await IngestBenchmark.RunAsync(host, token, options);
            var best = ingest.Max(r => r.HttpRate);
            Console.WriteLine($"  best HTTP rate {best:N0} points/s: target >= 50,000 points/s {(best >= 50_000 ? "MET" : "NOT MET")}");
        }

        if (seedTime is { } s)
        {
            Console.WriteLine($"Seeding took {s.TotalSeconds:F1} s.");
        }

        Console.WriteLine($"Done, load {Machine.Load()}.");
        if (options.DataDirectory is null)
        {
            await host.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
