using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Registry;

/// <summary>
/// Holds the first N saves that change a promotion request, at the start of their transaction (after they read, before they
/// take any lock: SQLite's write lock, PostgreSQL's outbox lock), until all N have arrived, then lets them go together: N
/// decisions that each read the request and model before any of them wrote, committing at the same instant. Later saves
/// (the retries of those that lost) pass straight through.
/// </summary>
public sealed class PromotionSaveBarrier : DbTransactionInterceptor
{
    private Arrivals? armed;

    /// <summary>Completes when <paramref name="parties"/> saves are waiting together (and are released).</summary>
    public Task Arm(int parties)
    {
        var arrivals = new Arrivals(parties);
        Volatile.Write(ref armed, arrivals);
        return arrivals.All.Task;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref armed) is { } arrivals
            && eventData.Context?.ChangeTracker.Entries<PromotionRequest>().Any(e => e.State == EntityState.Modified) == true
            && arrivals.Join())
        {
            await arrivals.All.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return result;
    }

    private sealed class Arrivals(int parties)
    {
        private int arrived;

        public TaskCompletionSource All { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>True for the first <c>parties</c> saves (they wait); the last of them opens the barrier.</summary>
        public bool Join()
        {
            var n = Interlocked.Increment(ref arrived);
            if (n == parties)
            {
                All.TrySetResult();
            }

            return n <= parties;
        }
    }
}

/// <summary>The app on SQLite with <see cref="PromotionSaveBarrier"/> on its database saves.</summary>
public sealed class BarrierSqliteAppFactory : PortalAppFactory
{
    public PromotionSaveBarrier Barrier { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(Barrier)));
    }
}

/// <summary>The app on a private PostgreSQL server with <see cref="PromotionSaveBarrier"/> on its database saves.</summary>
public sealed class BarrierPostgresAppFactory : PostgresAppFactory
{
    public PromotionSaveBarrier Barrier { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(Barrier)));
    }
}

public sealed class SqlitePromotionRaceTests(BarrierSqliteAppFactory factory)
    : PromotionRaceTestsBase(factory, factory.Barrier), IClassFixture<BarrierSqliteAppFactory>;

public sealed class PostgresPromotionRaceTests(BarrierPostgresAppFactory factory)
    : PromotionRaceTestsBase(factory, factory.Barrier), IClassFixture<BarrierPostgresAppFactory>;

/// <summary>
/// Decisions racing at the same instant through the API, each having read the state before the other wrote: the invariants
/// are read back from the database. Exactly one champion; approvals of two managers both count and promote once.
/// </summary>
public abstract class PromotionRaceTestsBase(PortalAppFactory factory, PromotionSaveBarrier barrier)
{
    private readonly RegistryDriver driver = new(factory);

    [Fact]
    public async Task TwoManagersApprovingAHighRiskRequestAtTheSameInstantBothCountAndItIsPromotedOnce()
    {
        var scientist = await driver.ScientistAsync();
        var managers = new[] { await driver.ManagerAsync(), await driver.ClientAsync(await driver.NewUserAsync("manager-two", Roles.BusinessManager)) };
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1, "race-high");
        Assert.Equal(HttpStatusCode.OK, (await managers[0].PutAsJsonAsync($"/api/models/{model}/risk-tier", new { riskTier = "High" })).StatusCode);
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        var hash = await driver.EvaluateAsync(request);

        var together = barrier.Arm(2);
        var responses = await Task.WhenAll(managers.Select(m => RegistryDriver.ApproveAsync(m, request, hash)));

        Assert.True(together.IsCompletedSuccessfully, "both approvals reached their save before either committed");
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await using var db = await driver.DbAsync();
        var stored = await db.PromotionRequests.AsNoTracking().SingleAsync(r => r.Id == new PromotionRequestId(request));
        var storedModel = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).SingleAsync(m => m.Id == stored.ModelId);
        Assert.Equal(PromotionStatus.Approved, stored.Status);
        Assert.Equal(2, stored.Approvals.Select(a => a.ApproverId).Distinct().Count());
        Assert.Equal(2, stored.ApprovalCount);
        Assert.Single(storedModel.Versions, v => v.Stage == ModelStage.Production);
        Assert.Single(storedModel.ProductionHistory);
        var versionId = storedModel.Versions.Single().Id.ToString();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.ModelVersionTransitioned.Name && a.SubjectId == versionId));
        Assert.Equal(2, (await driver.AuditAsync(AuditActions.PromotionApproved, request)).Count);
    }

    [Fact]
    public async Task TwoPromotionsOfOneModelRacingTheirFinalApprovalsLeaveExactlyOneChampion()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 2, "race-two");
        var requests = new[] { await RegistryDriver.RequestAsync(scientist, model, 1), await RegistryDriver.RequestAsync(scientist, model, 2) };
        var hashes = new[] { await driver.EvaluateAsync(requests[0]), await driver.EvaluateAsync(requests[1]) };

        var together = barrier.Arm(2);
        var responses = await Task.WhenAll(requests.Select((r, i) => RegistryDriver.ApproveAsync(manager, r, hashes[i])));

        Assert.True(together.IsCompletedSuccessfully, "both final approvals reached their save before either committed");
        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("became the champion", (await loser.JsonAsync()).GetProperty("detail").GetString());
        var champion = (await winner.JsonAsync()).GetProperty("championVersion").GetInt32();

        await using var db = await driver.DbAsync();
        var stored = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).SingleAsync(m => m.NormalizedName == model.ToUpperInvariant());
        var production = Assert.Single(stored.Versions, v => v.Stage == ModelStage.Production);
        Assert.Equal(champion, production.Number);
        Assert.Equal(champion, Assert.Single(stored.ProductionHistory).VersionNumber);
        var statuses = await db.PromotionRequests.AsNoTracking().Where(r => r.ModelId == stored.Id).OrderBy(r => r.VersionNumber).Select(r => r.Status).ToListAsync();
        Assert.Equal(champion == 1 ? [PromotionStatus.Approved, PromotionStatus.Stale] : [PromotionStatus.Stale, PromotionStatus.Approved], statuses);
    }
}
