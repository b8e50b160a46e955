using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Application.Audit;
using Portal.Application.Hosting;
using Portal.Bench.Api;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;

namespace Portal.Bench.Audit;

// The audit figure of issue 13: "audit chain verification of 1,000,000 entries ≤ 10 s, verification against a checkpoint
// included". Seeds N correctly chained entries into a real SQLite database (one prepared INSERT in one transaction, hashes
// computed as the portal computes them), signs checkpoints spread over the chain with a key kept outside the database and
// publishes them, then times, in the same run: the chain walk alone (AuditTrail.VerifyAsync), the full verification (chain
// plus every checkpoint from the database and the publish directory: AuditCheckpoints.VerifyAsync, what /api/audit/verify
// and the audit page run), and once the former EF-entity walk for comparison.
// Usage: Portal.Bench.Audit [entries=1000000] [runs=3] [checkpoints=10]
internal static class AuditBench
{
    public static async Task<int> Main(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        var entries = args.Length > 0 ? int.Parse(args[0], culture) : 1_000_000;
        var runs = args.Length > 1 ? int.Parse(args[1], culture) : 3;
        var checkpointCount = args.Length > 2 ? int.Parse(args[2], culture) : 10;
        var folder = Directory.CreateTempSubdirectory("portal-bench-audit-").FullName;
        try
        {
            Console.WriteLine($"Machine load before: {Machine.Load()} ({Environment.ProcessorCount} cores); {entries:N0} entries, {checkpointCount} checkpoints, {runs} runs");
            var keyPath = Path.Combine(folder, "signing-key.pem");
            using (var key = AuditSigningKey.Generate())
            {
                await File.WriteAllTextAsync(keyPath, key.ExportPrivateKeyPem());
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:DataDirectory"] = Path.Combine(folder, "data"),
                ["AuditCheckpoints:SigningKeyPath"] = keyPath,
                ["AuditCheckpoints:PublishDirectory"] = Path.Combine(folder, "published"),
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddPortalData();
            builder.AddMigrationOnStart();
            builder.AddPortalApplication();
            using var host = builder.Build();
            await host.StartAsync();
            var dbFactory = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            var keys = host.Services.GetRequiredService<AuditCheckpointKeys>();
            var publisher = host.Services.GetRequiredService<AuditCheckpointPublisher>();
            var checkpoints = host.Services.GetRequiredService<AuditCheckpoints>();
            var trail = host.Services.GetRequiredService<AuditTrail>();

            var seed = Stopwatch.StartNew();
            string connectionString;
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                connectionString = db.Database.GetConnectionString()!;
            }

            var heads = Seed(connectionString, entries, Math.Max(1, checkpointCount - 1));
            Console.WriteLine($"Seeded {entries:N0} entries in {seed.Elapsed.TotalSeconds:0.0} s ({new FileInfo(Path.Combine(folder, "data", "portal.db")).Length / 1e6:0} MB)");

            // Checkpoints spread over the chain (signed as the worker would have, over time), then the head through the real use case.
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                foreach (var (sequence, hash) in heads)
                {
                    db.AuditCheckpoints.Add(keys.SigningKey!.Sign(sequence, hash, DateTimeOffset.UtcNow));
                }

                await db.SaveChangesAsync();
            }

            var signed = await checkpoints.SignAsync(AuditActor.Service("bench"), onlyIfHeadMoved: false, CancellationToken.None);
            if (!signed.Succeeded)
            {
                Console.WriteLine($"Signing failed: {signed.Error}");
                return 1;
            }

            await checkpoints.PublishPendingAsync(CancellationToken.None);
            Console.WriteLine($"Checkpoints: {heads.Count + 1} in the database, {publisher.ReadAll().Checkpoints.Count} published to {publisher.Directory}");

            // Warm-up (JIT, page cache) is the first run of each; all runs are reported.
            var chainTimes = new List<double>();
            var fullTimes = new List<double>();
            for (var run = 1; run <= runs + 1; run++)
            {
                var watch = Stopwatch.StartNew();
                var chain = await trail.VerifyAsync();
                var chainSeconds = watch.Elapsed.TotalSeconds;
                watch.Restart();
                var report = await checkpoints.VerifyAsync(CancellationToken.None);
                var fullSeconds = watch.Elapsed.TotalSeconds;
                if (!chain.Intact || !report.Trustworthy || report.Checkpoints.Confirmed != heads.Count + 1)
                {
                    Console.WriteLine($"Verification disagrees: intact {chain.Intact}, trustworthy {report.Trustworthy}, confirmed {report.Checkpoints.Confirmed}: {chain.Reason} {string.Join(" ", report.Checkpoints.Problems)}");
                    return 1;
                }

                Console.WriteLine($"{(run == 1 ? "warm-up" : $"run {run - 1}")}: chain walk {chainSeconds:0.00} s ({chain.EntriesVerified:N0} entries); " +
                                  $"chain + {report.Checkpoints.Confirmed} checkpoints {fullSeconds:0.00} s");
                if (run > 1)
                {
                    chainTimes.Add(chainSeconds);
                    fullTimes.Add(fullSeconds);
                }
            }

            var efSeconds = await EntityWalkAsync(dbFactory);
            Console.WriteLine();
            Console.WriteLine($"Chain walk: median {Median(chainTimes):0.00} s, max {chainTimes.Max():0.00} s ({entries / Median(chainTimes):N0} entries/s)");
            Console.WriteLine($"Verification with checkpoints: median {Median(fullTimes):0.00} s, max {fullTimes.Max():0.00} s (target ≤ 10 s)");
            Console.WriteLine($"Former EF-entity walk (one run): {efSeconds:0.00} s (ratio {efSeconds / Median(chainTimes):0.0}x)");
            Console.WriteLine($"Machine load after: {Machine.Load()}");
            await host.StopAsync();
            return fullTimes.Max() <= 10 ? 0 : 2;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>Inserts a correctly chained log in one transaction; returns (sequence, hash) of the intermediate checkpoint heads.</summary>
    private static List<(long Sequence, string Hash)> Seed(string connectionString, int count, int intermediate)
    {
        var heads = new List<(long, string)>();
        var every = Math.Max(1, count / (intermediate + 1));
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO AuditEntries (Sequence, TimestampUtc, ActorKind, ActorId, ActorName, Action, SubjectType, SubjectId, DetailsJson, PreviousHash, Hash)
            VALUES ($seq, $ts, $kind, $actorId, $actorName, $action, $subjectType, $subjectId, $details, $prev, $hash)
            """;
        var p = new[] { "$seq", "$ts", "$kind", "$actorId", "$actorName", "$action", "$subjectType", "$subjectId", "$details", "$prev", "$hash" }
            .Select(name => insert.Parameters.Add(name, SqliteType.Text)).ToArray();
        p[0].SqliteType = SqliteType.Integer;
        insert.Prepare();

        var actions = new[] { AuditActions.RunSubmitted, AuditActions.ModelVersionRegistered, AuditActions.PromotionApproved, AuditActions.DatasetUploaded, AuditActions.SignInSucceeded };
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var previous = AuditCanonicalForm.GenesisHash;
        using var hasher = new AuditEntryHasher();
        for (var i = 1; i <= count; i++)
        {
            var time = start.AddTicks(i * 313_370L);
            var userIndex = i % 97;
            var actor = AuditActor.User($"user-{userIndex:D4}-5f1c2a7e-0000-4000-8000-{userIndex:D12}", $"person{userIndex}@portal.local");
            var action = actions[i % actions.Length];
            var subjectId = Guid.CreateVersion7(new DateTimeOffset(time)).ToString("D");
            var details = $$"""{"comment":"entry {{i}}","stage":"Production","version":{{i % 40}}}""";
            var hash = hasher.Hash(i, time, actor.Kind.ToString(), actor.Id, actor.Name, action.Name, AuditSubjectKinds.Run.Name, subjectId, details, previous);
            p[0].Value = i;
            p[1].Value = time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            p[2].Value = actor.Kind.ToString();
            p[3].Value = actor.Id;
            p[4].Value = actor.Name;
            p[5].Value = action.Name;
            p[6].Value = AuditSubjectKinds.Run.Name;
            p[7].Value = subjectId;
            p[8].Value = details;
            p[9].Value = previous;
            p[10].Value = hash;
            insert.ExecuteNonQuery();
            previous = hash;
            if (i % every == 0 && i < count && heads.Count < intermediate)
            {
                heads.Add((i, hash));
            }
        }

        transaction.Commit();
        return heads;
    }

    /// <summary>The walk as it was before this benchmark: tracked-free EF entities, hashed one canonical string at a time.</summary>
    private static async Task<double> EntityWalkAsync(IDbContextFactory<PortalDbContext> dbFactory)
    {
        var watch = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync();
        var verifier = new AuditChainVerifier();
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable())
        {
            if (verifier.Next(entry) is not null)
            {
                break;
            }
        }

        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
