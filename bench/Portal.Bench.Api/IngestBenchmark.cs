using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Portal.Bench.Api;

/// <summary>
/// log-batch over HTTP (several clients, each its own external run, 1000-metric batches, bodies serialized up front so
/// the client spends its share of the 2 cores on sending, not on JSON) against the floor: a raw prepared INSERT of the
/// same rows into the same table, one transaction per batch, on a connection with the app's own pragmas.
/// </summary>
internal static class IngestBenchmark
{
    private static readonly string[] Keys = Enumerable.Range(0, 10).Select(k => $"bench/metric-{k}").ToArray();

    public static async Task<List<(int Repeat, double HttpRate, double RawRate, long Points, string Load)>> RunAsync(
        BenchHost host, string token, BenchOptions options)
    {
        var results = new List<(int, double, double, long, string)>();
        using var setup = host.ClientWith(token);
        for (var repeat = 1; repeat <= options.Repeats; repeat++)
        {
            var runIds = new List<Guid>();
            for (var c = 0; c < options.IngestClients; c++)
            {
                using var created = await setup.PostAsJsonAsync("/api/runs", new { experiment = "bench-ingest", mode = "external", trainer = "External" });
                created.EnsureSuccessStatusCode();
                runIds.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid());
            }

            // Warm-up: a few batches per client on the same runs (JIT, EF model, connection pool), not counted.
            var warmupBatches = Math.Min(5, options.IngestBatchesPerClient);
            await PostAllAsync(host, token, runIds, warmupBatches, options.BatchSize, stepOffset: 0);

            var loadBefore = Machine.Load();
            var clock = Stopwatch.StartNew();
            var httpPoints = await PostAllAsync(host, token, runIds, options.IngestBatchesPerClient, options.BatchSize, stepOffset: 1_000_000);
            var httpRate = httpPoints / clock.Elapsed.TotalSeconds;
            await VerifyReadableAsync(setup, runIds[0], warmupBatches + options.IngestBatchesPerClient, options.BatchSize);

            var rawPoints = (long)options.IngestClients * options.IngestBatchesPerClient * options.BatchSize;
            clock.Restart();
            await RawInsertAsync(host.DatabasePath, runIds, options.IngestBatchesPerClient, options.BatchSize);
            var rawRate = rawPoints / clock.Elapsed.TotalSeconds;
            var load = $"{loadBefore} -> {Machine.Load()}";
            Console.WriteLine($"  [{repeat}] HTTP log-batch {httpRate,10:N0} points/s ({httpPoints:N0} points, {options.IngestClients} clients); " +
                $"raw batched insert {rawRate,10:N0} points/s; ratio HTTP/raw {httpRate / rawRate:P0}; load {load}");
            results.Add((repeat, httpRate, rawRate, httpPoints, load));
        }

        return results;
    }

    private static async Task<long> PostAllAsync(BenchHost host, string token, List<Guid> runIds, int batches, int batchSize, long stepOffset)
    {
        var bodies = runIds.Select(_ => Enumerable.Range(0, batches).Select(b => Body(batchSize, stepOffset + ((long)b * batchSize))).ToArray()).ToArray();
        var tasks = runIds.Select(async (runId, c) =>
        {
            using var client = host.ClientWith(token);
            long logged = 0;
            foreach (var body in bodies[c])
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var response = await client.PostAsync($"/api/runs/{runId}/log-batch", content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"log-batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                logged += (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("logged").GetInt64();
            }

            return logged;
        });
        return (await Task.WhenAll(tasks)).Sum();
    }

    /// <summary>The app reads back what it wrote (the Guid and DateTime encodings are the ones EF queries with).</summary>
    private static async Task VerifyReadableAsync(HttpClient client, Guid runId, int batches, int batchSize)
    {
        var curves = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics?keys={Keys[0]}");
        var expected = batches * batchSize / Keys.Length;
        var actual = curves.GetProperty(Keys[0]).GetArrayLength();
        if (actual != expected)
        {
            throw new InvalidOperationException($"Run {runId} reads back {actual} points of {Keys[0]}, expected {expected}.");
        }
    }

    private static byte[] Body(int batchSize, long firstStep)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var metrics = Enumerable.Range(0, batchSize).Select(i => new
        {
            key = Keys[i % Keys.Length],
            value = Math.Sin(firstStep + i) + 1.5,
            step = firstStep + (i / Keys.Length),
            timestamp = now + i,
        });
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { metrics }));
    }

    /// <summary>The same number of rows, the same batching (one transaction per batch), the same table and indexes.</summary>
    private static async Task RawInsertAsync(string databasePath, List<Guid> runIds, int batches, int batchSize)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 30 }.ConnectionString);
        await connection.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO RunMetrics (RunId, Key, Value, Step, TimestampUtc) VALUES ($run, $key, $value, $step, $ts)";
        var (run, key, value, step, ts) = (insert.Parameters.Add("$run", SqliteType.Text), insert.Parameters.Add("$key", SqliteType.Text),
            insert.Parameters.Add("$value", SqliteType.Real), insert.Parameters.Add("$step", SqliteType.Integer), insert.Parameters.Add("$ts", SqliteType.Text));
        insert.Prepare();
        var now = DateTime.UtcNow;
        foreach (var runId in runIds)
        {
            run.Value = SqliteRows.Guid(runId);
            for (var b = 0; b < batches; b++)
            {
                await using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (var i = 0; i < batchSize; i++)
                {
                    var s = 2_000_000L + ((long)b * batchSize) + i;
                    (key.Value, value.Value, step.Value, ts.Value) = (Keys[i % Keys.Length], Math.Sin(s) + 1.5, s, SqliteRows.DateTime(now.AddMilliseconds(i)));
                    insert.ExecuteNonQuery();
                }

                await transaction.CommitAsync();
            }
        }
    }
}
