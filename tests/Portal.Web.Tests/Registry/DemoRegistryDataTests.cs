using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Web.Startup;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Registry;

/// <summary>
/// First start in Development with demo data: the demo runs train for real, then the registry's demo arrives through the real
/// workflow — a champion, a request waiting for manager@portal.local, one blocked by a gate — and the rollback demo: a second
/// model whose deliberately worse challenger was pushed past its failed gate by the administrator's override and approved.
/// </summary>
public sealed class DemoRegistryDataTests : IAsyncLifetime
{
    private readonly DemoAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task TheDemoModelHasAChampionARequestForTheManagerAndOneBlockedAsBreaking()
    {
        _ = _factory.Services; // starts the host: users, datasets, runs queued; the worker trains; the registry seeder waits for it
        var dbFactory = _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();

        var all = await PollAsync(dbFactory, TimeSpan.FromMinutes(15));

        await using var db = await dbFactory.CreateDbContextAsync();
        var model = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).SingleAsync(m => m.Name == DemoRegistrySeeder.ModelName);
        var requests = all.Where(r => r.ModelId == model.Id).ToList();
        Assert.Equal(1, model.Champion?.Number);
        Assert.NotNull(model.HoldOutDatasetVersionId);
        var period = Assert.Single(model.ProductionHistory);
        Assert.Equal(1, period.VersionNumber);
        Assert.Single(period.ApprovedBy);
        Assert.Equal(PromotionStatus.Approved, requests.Single(r => r.VersionNumber == 1).Status);
        var pending = requests.Single(r => r.VersionNumber == 2);
        Assert.True(pending.Status == PromotionStatus.Pending, $"{pending.Status}: {string.Join(" | ", pending.Gates.Select(g => $"{g.Gate} {g.Verdict}: {g.Reason}"))}");
        Assert.NotNull(pending.CurrentSignOff);
        var blocked = requests.Single(r => r.VersionNumber == 3);
        Assert.Equal(PromotionStatus.Blocked, blocked.Status);
        var schema = blocked.Gates.Single(g => g.Gate == PromotionGate.Schema);
        Assert.Equal(GateVerdict.Failed, schema.Verdict);
        Assert.Contains(DemoRegistrySeeder.DroppedColumn, schema.Reason);

        var worseModel = await db.RegisteredModels.AsNoTracking().SingleAsync(m => m.Name == DemoRegistrySeeder.WorseModelName);
        var worseRequest = all.Single(r => r.ModelId == worseModel.Id && r.VersionNumber == 2);
        Assert.True(worseRequest.Overridden, $"{worseRequest.Status}: {string.Join(" | ", worseRequest.Gates.Select(g => $"{g.Gate} {g.Verdict}: {g.Reason}"))}");
        Assert.Equal(DemoRegistrySeeder.WorseOverrideReason, worseRequest.OverrideReason);
        Assert.Contains(worseRequest.FailedHardGates, g => g.Gate == PromotionGate.Quality);
        Assert.Single(worseRequest.Approvals);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == Portal.Domain.Audit.AuditActions.PromotionOverridden.Name && e.DetailsJson.Contains(DemoRegistrySeeder.WorseOverrideReason)));
    }

    private static async Task<List<PromotionRequest>> PollAsync(IDbContextFactory<PortalDbContext> dbFactory, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var requests = await db.PromotionRequests.AsNoTracking().ToListAsync();
            // Three requests of loan-default, then the rollback demo's two, the last one approved past its overridden gate.
            if ((requests.Count == 5 && requests.All(r => r.Status != PromotionStatus.Evaluating) && requests.Count(r => r.Approvals.Count > 0) == 3)
                || DateTime.UtcNow > deadline)
            {
                return requests;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private sealed class DemoAppFactory : PortalAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Demo:SeedData", "true");
            builder.UseSetting("Worker:Embedded", "true");
            builder.UseSetting("Training:PollSeconds", "1");
        }
    }
}
