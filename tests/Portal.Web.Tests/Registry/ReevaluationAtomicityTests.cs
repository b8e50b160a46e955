using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Registry;

/// <summary>Fails every save that would record a given audit action, as a database that refuses the write would.</summary>
public sealed class AuditedSaveFault : SaveChangesInterceptor
{
    public string? FailingAction { get; set; }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        var action = FailingAction;
        if (action is not null && eventData.Context!.ChangeTracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added && e.Entity.Action == action))
        {
            throw new DbUpdateException($"Injected failure of the save recording {action}.");
        }

        return ValueTask.FromResult(result);
    }
}

public sealed class FaultySavesAppFactory : PortalAppFactory
{
    public AuditedSaveFault Fault { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(Fault)));
    }
}

/// <summary>A re-evaluation is one change: when its save fails, nothing of it is written (no request sent back without its audit entry).</summary>
public sealed class ReevaluationAtomicityTests(FaultySavesAppFactory factory) : IClassFixture<FaultySavesAppFactory>
{
    [Fact]
    public async Task AReevaluationWhoseSaveFailsLeavesTheStaleRequestAndItsJobAsTheyWere()
    {
        var driver = new RegistryDriver(factory);
        var scientist = await driver.ScientistAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        // Stale while still queued for evaluation: its job exists.
        await (await driver.ManagerAsync()).PutAsJsonAsync($"/api/models/{model}/risk-tier", new { riskTier = "High" });

        factory.Fault.FailingAction = AuditActions.PromotionReevaluationRequested.Name;
        HttpResponseMessage failed;
        try
        {
            failed = await scientist.PostAsync($"/api/promotions/{request}/reevaluate", null);
        }
        finally
        {
            factory.Fault.FailingAction = null;
        }

        await using var db = await driver.DbAsync();
        var id = new PromotionRequestId(request);
        Assert.Equal(HttpStatusCode.Conflict, failed.StatusCode);
        Assert.Equal(PromotionStatus.Stale, await db.PromotionRequests.Where(r => r.Id == id).Select(r => r.Status).SingleAsync());
        Assert.True(await db.PromotionEvaluationJobs.AnyAsync(j => j.RequestId == id), "the queued job is still there");
        Assert.Empty(await driver.AuditAsync(AuditActions.PromotionReevaluationRequested, request));

        var retried = await scientist.PostAsync($"/api/promotions/{request}/reevaluate", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Single(await driver.AuditAsync(AuditActions.PromotionReevaluationRequested, request));
        Assert.Equal(1, await db.PromotionEvaluationJobs.CountAsync(j => j.RequestId == id));
    }
}
