using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Registry;
using Portal.Domain.Monitoring;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Alerts;

/// <summary>
/// A person acknowledging an alert while the monitoring loop repeats it (another process, another context): neither change is
/// lost. The acknowledgement that read the alert before the repeat committed conflicts, re-reads and commits on top of it; a loop
/// that read the alert before the acknowledgement must re-read too.
/// </summary>
public sealed class AlertConcurrencyTests(GatedSavesAppFactory factory) : IClassFixture<GatedSavesAppFactory>
{
    [Fact]
    public async Task AnAcknowledgementRacingARepeatRetriesAndKeepsBothChanges()
    {
        var driver = new RegistryDriver(factory);
        var seed = await new AlertSeed(factory).WithModelAsync(driver);
        var now = DateTimeOffset.UtcNow;
        var alert = await seed.RaiseAsync(now);
        var manager = await driver.ManagerAsync();
        await using var staleLoop = factory.RemoteDb();
        var staleCopy = await staleLoop.MonitoringAlerts.FirstAsync(a => a.Id == alert.Id);

        factory.Saves.Hold();
        var acknowledging = manager.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { comment = "retraining" });
        await factory.Saves.Reached.WaitAsync(TimeSpan.FromSeconds(20));
        await using (var loop = factory.RemoteDb())
        {
            var repeated = await loop.MonitoringAlerts.FirstAsync(a => a.Id == alert.Id);
            repeated.Repeat(AlertSeverity.Critical, "PSI 0.55 ≥ 0.20 on tenure over 500 rows", alert.WindowId!.Value, now.AddMinutes(5));
            RegistryConcurrency.Touch(loop, repeated);
            await loop.SaveChangesAsync();
        }

        factory.Saves.Release();
        var response = await acknowledging;
        staleCopy.Repeat(AlertSeverity.Critical, "a stale repeat", alert.WindowId!.Value, now.AddMinutes(6));
        RegistryConcurrency.Touch(staleLoop, staleCopy);
        var stale = await Record.ExceptionAsync(() => staleLoop.SaveChangesAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(factory.Saves.Attempts >= 2, $"the acknowledgement saved {factory.Saves.Attempts} time(s); its first save should have conflicted");
        await using var db = factory.RemoteDb();
        var stored = await db.MonitoringAlerts.AsNoTracking().FirstAsync(a => a.Id == alert.Id);
        Assert.Equal((AlertStatus.Acknowledged, 2, "retraining"), (stored.Status, stored.Occurrences, stored.AcknowledgeComment));
        Assert.Contains("PSI 0.55", stored.Message);
        Assert.IsType<DbUpdateConcurrencyException>(stale);
    }
}
