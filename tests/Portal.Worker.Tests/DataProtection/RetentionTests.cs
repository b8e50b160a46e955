using Microsoft.EntityFrameworkCore;
using Portal.Application;
using Portal.Application.Privacy;
using Portal.Application.Runs;
using Portal.Data.Audit;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Worker.Tests.Monitoring;

namespace Portal.Worker.Tests.DataProtection;

/// <summary>Retention alerts (once per version, whoever sweeps) and the DPO's purge (content gone, everything else kept, training refused).</summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly AuditActor Dpo = AuditActor.User("dpo-id", "dpo@portal.local");

    private readonly SqliteTestDatabase database = new();
    private readonly RetrainingScenario scenario;
    private readonly DatasetRetention retention;

    public RetentionTests()
    {
        scenario = new(database);
        retention = new DatasetRetention(database.Factory, scenario.Worker.Store, new AuditTrail(database.Factory, scenario.Worker.Time), scenario.Worker.Time);
    }

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task TheRetentionAlertIsRaisedOnceWhenTheShortestRetentionOfAPersonalColumnPasses()
    {
        var uploaded = await scenario.UploadAsync("customers", ErasureTests.WithCustomers(10));
        await RetainAsync(uploaded.Version.Id, ("customer", DataClassification.Personal, 30), ("city", DataClassification.Personal, 90),
            ("age", DataClassification.NotPersonal, 1));

        int eventsBefore;
        await using (var before = await scenario.Db.CreateDbContextAsync())
        {
            eventsBefore = await before.LiveEvents.CountAsync(); // the upload's own "to classify" event
        }

        scenario.Worker.FakeTime.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await retention.AlertDueAsync(CancellationToken.None));
        scenario.Worker.FakeTime.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await retention.AlertDueAsync(CancellationToken.None));
        Assert.Equal(0, await retention.AlertDueAsync(CancellationToken.None));

        await using var db = await scenario.Db.CreateDbContextAsync();
        Assert.NotNull((await db.DatasetVersions.AsNoTracking().SingleAsync()).RetentionExpiredUtc);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "dataset.retention.expired"));
        Assert.Equal(eventsBefore + 1, await db.LiveEvents.CountAsync());
        var due = Assert.Single(await retention.ListDueAsync(CancellationToken.None));
        Assert.Equal(uploaded.Version.CreatedUtc.AddDays(30), due.DueUtc);
    }

    [Fact]
    public async Task APurgeOrErasureReasonWithABidiOverrideIsRefusedAndNothingChanges()
    {
        var uploaded = await scenario.UploadAsync("customers", ErasureTests.WithCustomers(10));
        var path = scenario.Worker.Store.GetPath(uploaded.Version.Sha256);
        const string Spoofed = "retention \u202Edessap";

        var purge = await retention.PurgeAsync(new PurgeDatasetVersion(uploaded.Version.Id, true, Spoofed), Dpo, CancellationToken.None);
        var mark = await scenario.Erasure.MarkAsync(new MarkForErasure(null, null, uploaded.Version.Id, Spoofed), Dpo, CancellationToken.None);

        Assert.Equal((OperationStatus.Invalid, OperationStatus.Invalid), (purge.Status, mark.Status));
        Assert.Contains("reason", purge.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
        await using var db = await scenario.Db.CreateDbContextAsync();
        var version = await db.DatasetVersions.AsNoTracking().SingleAsync();
        Assert.Null(version.PurgedUtc);
        Assert.Null(version.ErasureMarkedUtc);
        Assert.Equal(0, await db.ErasureRequests.CountAsync());
    }

    [Fact]
    public async Task APurgeDeletesTheContentKeepsMetadataAndIndexAndRefusesTraining()
    {
        var uploaded = await scenario.UploadAsync("customers", ErasureTests.WithCustomers(10));
        var path = scenario.Worker.Store.GetPath(uploaded.Version.Sha256);

        var unconfirmed = await retention.PurgeAsync(new PurgeDatasetVersion(uploaded.Version.Id, false, "retention passed"), Dpo, CancellationToken.None);
        Assert.Equal(OperationStatus.Invalid, unconfirmed.Status);
        Assert.True(File.Exists(path));

        var purged = await retention.PurgeAsync(new PurgeDatasetVersion(uploaded.Version.Id, true, "retention passed"), Dpo, CancellationToken.None);

        Assert.True(purged.Succeeded, purged.Error);
        Assert.True(purged.Value!.BlobDeleted);
        Assert.False(File.Exists(path));
        await using (var db = await scenario.Db.CreateDbContextAsync())
        {
            var version = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns).SingleAsync();
            Assert.Equal((uploaded.Version.Sha256, 5, "dpo@portal.local", "retention passed"), (version.Sha256, version.Columns.Count, version.PurgedBy, version.PurgeReason));
            Assert.Equal(5, await db.DatasetSubjectIndexes.CountAsync());
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "dataset.version.purged"));
        }

        Assert.Equal(OperationStatus.Conflict, (await retention.PurgeAsync(new PurgeDatasetVersion(uploaded.Version.Id, true, "again"), Dpo, CancellationToken.None)).Status);
        var run = await scenario.Runs.SubmitAsync(new SubmitRun("purged", uploaded.Dataset.Id, 1, RetrainingScenario.Label, MlTask.Binary, "FastTree", new Dictionary<string, double>(), 0.2, 1),
            RetrainingScenario.Scientist, CancellationToken.None);
        Assert.Equal(OperationStatus.Conflict, run.Status);
        Assert.Contains("purged", run.Error, StringComparison.Ordinal);
        Assert.Equal(OperationStatus.NotFound, (await retention.PurgeAsync(new PurgeDatasetVersion(DatasetVersionId.New(scenario.Now), true, "x"), Dpo,
            CancellationToken.None)).Status);
    }

    [Fact]
    public async Task APurgeKeepsTheFileWhileAnotherVersionHoldsTheSameContent()
    {
        var csv = ErasureTests.WithCustomers(10);
        var first = await scenario.UploadAsync("customers", csv);
        var copy = await scenario.UploadAsync("customers-copy", csv);
        Assert.Equal(first.Version.Sha256, copy.Version.Sha256);

        var purged = await retention.PurgeAsync(new PurgeDatasetVersion(first.Version.Id, true, "retention passed"), Dpo, CancellationToken.None);

        Assert.False(purged.Value!.BlobDeleted);
        Assert.True(File.Exists(scenario.Worker.Store.GetPath(copy.Version.Sha256)));
        var trained = await scenario.Runs.SubmitAsync(new SubmitRun("copy", copy.Dataset.Id, 1, RetrainingScenario.Label, MlTask.Binary, "FastTree", new Dictionary<string, double>(), 0.2, 1),
            RetrainingScenario.Scientist, CancellationToken.None);
        Assert.True(trained.Succeeded, trained.Error);
    }

    private async Task RetainAsync(DatasetVersionId versionId, params (string Column, DataClassification Classification, int Days)[] columns)
    {
        await using var db = await scenario.Db.CreateDbContextAsync();
        var version = await db.DatasetVersions.Include(v => v.Columns).SingleAsync(v => v.Id == versionId);
        foreach (var (name, classification, days) in columns)
        {
            var column = version.FindColumn(name)!;
            Assert.True(column.Classify(classification, false, "dpo-id", "dpo", [Portal.Domain.Security.Roles.DataProtectionOfficer], scenario.Now).Succeeded);
            db.Entry(column).Property(c => c.RetentionDays).CurrentValue = days;
        }

        await db.SaveChangesAsync();
    }
}
