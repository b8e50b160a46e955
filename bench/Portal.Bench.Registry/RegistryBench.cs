// First render of the registry pages (issue #10, docs/benchmarks.md): the manager's inbox, the evidence page, the models
// list and a model's page, over 1,000 models x 20 versions and 200 pending requests, against a tiny registry measured in
// the same run as the baseline. Release build:
//   dotnet run -c Release --project bench/Portal.Bench.Registry -- [--models 1000] [--versions 20] [--pending 200]
//       [--requests 200] [--warmup 20] [--baseline-models 5] [--baseline-versions 2] [--baseline-pending 3]
//       [--evidence-rows 5000] [--no-baseline] [--in-process]
// CI smoke: --models 40 --versions 4 --pending 10 --requests 20 --warmup 3 --evidence-rows 2000
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Bench.Api;
using Portal.Data;
using Portal.Data.Identity;

namespace Portal.Bench.Registry;

/// <summary>Entry point; not top-level statements, whose <c>Program</c> class would clash with the web app's.</summary>
internal static class RegistryBench
{
    private const double TargetP95 = 300;

    public static async Task Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        var options = RegistryBenchOptions.Parse(args);
        // WebApplicationFactory finds the app's content root through MvcTestingAppManifest.json in the working folder.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        Console.WriteLine($"Portal.Bench.Registry {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Machine.Load()}, " +
            $"{(options.InProcess ? "in-process TestServer" : "Kestrel on loopback")}");
        Console.WriteLine($"  {options}");
        var evidence = await BenchEvidence.CreateAsync(options.EvidenceRows);

        List<PageResult>? baseline = null;
        if (!options.SkipBaseline)
        {
            baseline = await MeasureAsync("baseline", options.BaselineModels, options.BaselineVersionsPerModel, options.BaselinePending, evidence, options);
        }

        var full = await MeasureAsync("registry", options.Models, options.VersionsPerModel, options.Pending, evidence, options);

        Console.WriteLine();
        Console.WriteLine($"| page (manager@portal.local) | baseline ({options.BaselineModels} x {options.BaselineVersionsPerModel}, {options.BaselinePending} pending) p50 / p95 / p99 ms " +
            $"| registry ({options.Models:N0} x {options.VersionsPerModel}, {options.Pending} pending) p50 / p95 / p99 ms | p95 ratio |");
        Console.WriteLine("| --- | --- | --- | --- |");
        for (var i = 0; i < full.Count; i++)
        {
            var f = full[i].Latency;
            var b = baseline?[i].Latency;
            Console.WriteLine(FormattableString.Invariant(
                $"| {full[i].Name.Trim()} | {(b is null ? "–" : $"{b.P50:F1} / {b.P95:F1} / {b.P99:F1}")} | {f.P50:F1} / **{f.P95:F1}** / {f.P99:F1} | {(b is null ? "–" : $"{f.P95 / b.P95:F2}")} |"));
        }

        // The inbox and models tables fill after the circuit starts: their first render with rows is the HTML plus the table's read.
        double Sum(string page, string read) => full.Single(r => r.Name == page).Latency.P95 + full.Single(r => r.Name.Trim().StartsWith(read, StringComparison.Ordinal)).Latency.P95;
        var inbox = Sum("GET /promotions (inbox)", "inbox table read");
        var evidencePage = full.Single(r => r.Name == "GET /promotions/{id} (evidence)").Latency.P95;
        Console.WriteLine(FormattableString.Invariant(
            $"Inbox: HTML p95 + table read p95 = {inbox:F1} ms; evidence page HTML p95 = {evidencePage:F1} ms: target p95 <= {TargetP95} ms {(Math.Max(inbox, evidencePage) <= TargetP95 ? "MET" : "NOT MET")}"));
        Console.WriteLine($"Done, load {Machine.Load()}.");
    }

    private static async Task<List<PageResult>> MeasureAsync(string label, int models, int versions, int pending, BenchEvidence evidence, RegistryBenchOptions options)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "portal-bench-registry", Guid.NewGuid().ToString("N"));
        Console.WriteLine($"  {label}: {models:N0} models x {versions} versions, {pending} pending, data {dataDirectory}");
        var host = new RegistryHost(dataDirectory, options.InProcess);
        try
        {
            host.StartServer(); // migrates the fresh database and seeds the demo users
            var people = await PeopleAsync(host);
            var registry = await RegistrySeeder.SeedAsync(host.DatabasePath, host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), people, evidence,
                models, versions, pending);
            Console.WriteLine($"    database: {await CountAsync(host.DatabasePath, "ModelVersions"):N0} versions, {await CountAsync(host.DatabasePath, "PromotionRequests"):N0} requests, " +
                $"{await CountAsync(host.DatabasePath, "PromotionEvidence"):N0} evidence snapshots ({registry.EvidenceBytes:N0} chars each), " +
                $"{await CountAsync(host.DatabasePath, "ModelProductionPeriods"):N0} production periods; load {Machine.Load()}");
            using var manager = await host.SignInAsync(RegistryHost.Manager);
            return await PageBenchmark.RunAsync(host, manager, registry, people.ManagerId, options);
        }
        finally
        {
            await host.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<BenchPeople> PeopleAsync(RegistryHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        async Task<PortalUser> Find(string email) => await users.FindByEmailAsync(email)
            ?? throw new InvalidOperationException($"No demo user {email}; is Demo:Enabled honoured?");
        var scientist = await Find("scientist@portal.local");
        return new BenchPeople(scientist.Id, scientist.UserName!, (await Find(RegistryHost.Manager)).Id, (await Find("manager2@portal.local")).Id,
            (await Find("dpo@portal.local")).Id);
    }

    private static async Task<long> CountAsync(string databasePath, string table)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
