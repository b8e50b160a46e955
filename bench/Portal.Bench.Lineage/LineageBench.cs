using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Lineage;
using Portal.Bench.Api;
using Portal.Data;
using Portal.Data.Postgres;
using Portal.Data.Sqlite;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Bench.Lineage;

// The lineage figure of issue 13: downstream lineage of a dataset version at depth 10, p95 ≤ 50 ms with 100,000 nodes, in
// SQLite and in PostgreSQL. The graph is seeded through the real tables and the real save path (so every edge is the one
// the portal records): model families, each a chain of retraining generations; per generation one dataset version, a
// hyperparameter search of 8 runs on it, 3 model versions registered, a promotion request for each, the last promoted to
// Production (a deployment) whose prediction log produced the next generation's dataset version. Depth 10 from a first
// generation's dataset version crosses two generations. Measured: LineageQuery.GetAsync (labels, personal data, liveness
// included) from a random first-generation dataset version, after warm-up; p50/p95/max over the queries.
// Usage: Portal.Bench.Lineage [families=625] [queries=300] [sqlite|postgres|both]
internal static class LineageBench
{
    public static async Task Main(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        var families = args.Length > 0 ? int.Parse(args[0], culture) : 625;
        var queries = args.Length > 1 ? int.Parse(args[1], culture) : 300;
        var which = args.Length > 2 ? args[2] : "both";
        Console.WriteLine($"Machine load before: {Machine.Load()} ({Environment.ProcessorCount} cores); {families} families × {LineageSeeder.Generations} generations, {queries} queries per database");

        if (which is "sqlite" or "both")
        {
            var folder = Directory.CreateTempSubdirectory("portal-bench-lineage-").FullName;
            try
            {
                var connection = SqliteDatabase.DefaultConnectionString(folder);
                IDbContextFactory<PortalDbContext> factory = new Contexts(o => SqliteDatabase.Configure(o, connection));
                await using (var db = await factory.CreateDbContextAsync())
                {
                    await SqliteDatabase.PrepareAsync(db, CancellationToken.None);
                    await db.Database.MigrateAsync();
                }

                await RunAsync("SQLite", factory, families, queries);
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }

        if (which is "postgres" or "both")
        {
            await using var server = await PostgresServer.StartAsync();
            var connection = (await server.CreateDatabaseAsync("lineage_bench")).Replace("Pooling=false", "Pooling=true", StringComparison.Ordinal);
            IDbContextFactory<PortalDbContext> factory = new Contexts(o => PostgresDatabase.Configure(o, connection));
            await using (var db = await factory.CreateDbContextAsync())
            {
                await db.Database.MigrateAsync();
            }

            await RunAsync("PostgreSQL 15", factory, families, queries);
        }

        Console.WriteLine($"Machine load after: {Machine.Load()}");
    }

    private static async Task RunAsync(string provider, IDbContextFactory<PortalDbContext> factory, int families, int queries)
    {
        var seeding = Stopwatch.StartNew();
        var seeded = await LineageSeeder.SeedAsync(factory, families);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var edges = await db.LineageEdges.CountAsync();
            Console.WriteLine($"{provider}: seeded {seeded.Nodes:N0} nodes and {edges:N0} edges in {seeding.Elapsed.TotalSeconds:0.0} s");
        }

        var query = new LineageQuery(factory);
        var random = new Random(13);
        var sizes = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            await OnceAsync(query, seeded.Roots[random.Next(seeded.Roots.Count)]);
        }

        var timings = new List<double>(queries);
        for (var i = 0; i < queries; i++)
        {
            var watch = Stopwatch.StartNew();
            var graph = await OnceAsync(query, seeded.Roots[random.Next(seeded.Roots.Count)]);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            sizes.Add(graph.Nodes.Count);
        }

        timings.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{provider}: downstream depth 10 of a dataset version, {queries} queries ({sizes.Average():0} nodes, {sizes.Min()}–{sizes.Max()} per graph): p50 {Percentile(timings, 0.50):0.0} ms, p95 {Percentile(timings, 0.95):0.0} ms, max {timings[^1]:0.0} ms (target p95 ≤ 50 ms: {(Percentile(timings, 0.95) <= 50 ? "met" : "MISSED")})"));
    }

    private static async Task<LineageGraph> OnceAsync(LineageQuery query, Domain.Lineage.LineageNodeRef root)
    {
        var result = await query.GetAsync(new LineageRequest(root, LineageDirection.Down, 10), CancellationToken.None);
        return result.Succeeded && !result.Value!.Truncated
            ? result.Value
            : throw new InvalidOperationException(result.Error ?? "The walk was truncated: raise the node limit.");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];

    private sealed class Contexts(Action<DbContextOptionsBuilder> configure) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<PortalDbContext>();
            configure(options);
            return new PortalDbContext(options.Options);
        }
    }
}
