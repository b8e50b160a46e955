using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Application.Datasets;
using Portal.Application.Hosting;
using Portal.Application.Privacy;
using Portal.Bench.Api;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Privacy;

namespace Portal.Bench.Erasure;

// The erasure-impact figure of issue 13: one data subject's key looked up over 1,000 dataset versions of 100,000 rows each.
// (1) Build rate: a real 100,000-row CSV (customer id, e-mail, amount) is uploaded through DatasetIngestion, which indexes it
//     (HMAC-SHA256 of every value, distinct, sorted, written); reported as rows and HMACs per second, and extrapolated to all
//     1,000 versions. The raw HMAC rate of SubjectKey.Hash is measured on its own, on one core and on all.
// (2) The index of the 1,000 versions is written directly with SubjectIndexFile.Write (100,000 distinct entries each, the
//     subject's entry in every 100th), with one DatasetSubjectIndex row per version in a real SQLite database.
// (3) ErasureImpact.OfSubjectAsync in a fresh host (first call: cold-ish, JIT and connection included), then warm calls:
//     p50 and p95. Target ≤ 1 s.
// Usage: Portal.Bench.Erasure [versions=1000] [rows=100000] [warmRuns=30]
internal static class ErasureBench
{
    private const string Subject = "CUST-00424242";

    public static async Task Main(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        var versions = args.Length > 0 ? int.Parse(args[0], culture) : 1000;
        var rows = args.Length > 1 ? int.Parse(args[1], culture) : 100_000;
        var warmRuns = args.Length > 2 ? int.Parse(args[2], culture) : 30;
        var folder = Directory.CreateTempSubdirectory("portal-bench-erasure-").FullName;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        try
        {
            Console.WriteLine($"Machine load before: {Machine.Load()} ({Environment.ProcessorCount} cores); {versions:N0} versions x {rows:N0} rows");
            double buildSeconds;
            using (var host = await StartAsync(folder, key))
            {
                HashRate(host.Services.GetRequiredService<SubjectKeyProvider>().Key);
                buildSeconds = await BuildRateAsync(host, rows);
                Console.WriteLine($"Extrapolated index build of all {versions:N0} versions through upload: {buildSeconds * versions / 60:0.0} min on this machine");
                await SeedAsync(host, versions, rows);
            }

            using (var fresh = await StartAsync(folder, key))
            {
                var impact = fresh.Services.GetRequiredService<ErasureImpact>();
                var clock = Stopwatch.StartNew();
                var first = (await impact.OfSubjectAsync("customer_id", Subject, CancellationToken.None)).Value!;
                var cold = clock.Elapsed.TotalMilliseconds;
                Console.WriteLine($"Impact, first call in a fresh host (cold-ish): {cold:0.0} ms; {first.IndexesSearched:N0} indexes searched, {first.DatasetVersions.Count} versions hold the subject");
                var times = new List<double>();
                for (var i = 0; i < warmRuns; i++)
                {
                    clock.Restart();
                    var report = (await impact.OfSubjectAsync("customer_id", Subject, CancellationToken.None)).Value!;
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    if (report.DatasetVersions.Count != first.DatasetVersions.Count)
                    {
                        throw new InvalidOperationException("The impact changed between runs.");
                    }
                }

                times.Sort();
                var p50 = times[(int)(0.5 * (times.Count - 1))];
                var p95 = times[(int)Math.Ceiling(0.95 * (times.Count - 1))];
                Console.WriteLine($"Impact, warm ({warmRuns} runs): p50 {p50:0.0} ms, p95 {p95:0.0} ms, max {times[^1]:0.0} ms (target ≤ 1,000 ms: {(Math.Max(cold, p95) <= 1000 ? "met" : "missed")})");
                var miss = (await impact.OfSubjectAsync("customer_id", "nobody-at-all", CancellationToken.None)).Value!;
                Console.WriteLine($"A value no version holds: {miss.DatasetVersions.Count} versions (a check that hits are not false positives at this size)");
            }

            Console.WriteLine($"Machine load after: {Machine.Load()}");
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held; the temp folder is cleaned by the OS.
            }
        }
    }

    private static async Task<IHost> StartAsync(string folder, string key)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = folder,
            ["DataProtection:SubjectKey"] = key,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddPortalData();
        builder.AddMigrationOnStart();
        builder.AddPortalApplication();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static void HashRate(SubjectKey key)
    {
        const int Count = 1_000_000;
        var values = Enumerable.Range(0, Count).Select(i => $"CUST-{i:00000000}").ToArray();
        var clock = Stopwatch.StartNew();
        ulong sink = 0;
        foreach (var value in values)
        {
            sink ^= key.Hash(value)!.Value;
        }

        var single = Count / clock.Elapsed.TotalSeconds;
        clock.Restart();
        Parallel.For(0, Environment.ProcessorCount, part =>
        {
            for (var i = part; i < Count; i += Environment.ProcessorCount)
            {
                key.Hash(values[i]);
            }
        });
        var all = Count / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"HMAC rate (normalise + HMAC-SHA256 + truncate): {single:N0}/s on one core, {all:N0}/s on {Environment.ProcessorCount} cores (checksum {sink % 10})");
        Console.WriteLine($"100,000,000 values (1,000 versions x 100,000 rows, one column): {1e8 / single / 60:0.0} min on one core, {1e8 / all / 60:0.0} min on all");
    }

    private static async Task<double> BuildRateAsync(IHost host, int rows)
    {
        var csv = new StringBuilder("customer_id,email,amount\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"CUST-{i:00000000},user{i}@example.com,{i % 977}.5\n");
        }

        var ingestion = host.Services.GetRequiredService<DatasetIngestion>();
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        using var staged = (await ingestion.StageAsync(new MemoryStream(bytes), long.MaxValue, CancellationToken.None)).Value!;
        var clock = Stopwatch.StartNew();
        await ingestion.SaveAsync("bench-upload", "bench.csv", staged, AuditActor.Service("bench"), CancellationToken.None);
        var save = clock.Elapsed.TotalSeconds;
        // The save includes the version's row and audit entry; the index build is nearly all of it.
        Console.WriteLine($"Upload save with index build, {rows:N0} rows x 3 columns: {save:0.00} s ({rows / save:N0} rows/s, {3.0 * rows / save:N0} HMACs/s)");
        return save / 3; // one key column per version in the figure below
    }

    private static async Task SeedAsync(IHost host, int versions, int rows)
    {
        var dbFactory = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var store = host.Services.GetRequiredService<SubjectIndexStore>();
        var key = host.Services.GetRequiredService<SubjectKeyProvider>().Key;
        var subject = key.Hash(Subject)!.Value;
        var now = DateTimeOffset.UtcNow;
        var random = new Random(13);
        var clock = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var dataset = Dataset.Create("bench-customers", "bench", now);
        db.Datasets.Add(dataset);
        var entries = new ulong[rows];
        for (var v = 0; v < versions; v++)
        {
            var version = DatasetVersion.Create(dataset.Id, dataset.NextVersion(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), rows * 40L, rows,
                "bench.csv", "[]", [DatasetColumn.Create(0, "customer_id", ColumnType.Text, true, "identifier")], "bench", now);
            db.DatasetVersions.Add(version);
            for (var i = 0; i < rows; i++)
            {
                entries[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
            }

            if (v % 100 == 0)
            {
                entries[0] = subject;
            }

            Array.Sort(entries);
            var relative = SubjectIndexStore.RelativePath(version.Id, 0);
            SubjectIndexFile.Write(store.Resolve(relative), entries);
            db.DatasetSubjectIndexes.Add(DatasetSubjectIndex.Create(version.Id, 0, "customer_id", key.KeyId, rows, relative, now));
            if (v % 100 == 99)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
                db.Datasets.Attach(dataset);
            }
        }

        await db.SaveChangesAsync();
        Console.WriteLine($"Seeded {versions:N0} versions with index files of {rows:N0} entries ({versions * (long)rows * 8 / 1e6:N0} MB) in {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
