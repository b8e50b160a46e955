using System.Buffers.Binary;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Application;
using Portal.Application.Privacy;
using Portal.Application.Runs;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Worker.Tests.Monitoring;

namespace Portal.Worker.Tests.DataProtection;

/// <summary>
/// The erasure index, impact, marking and the erasure retraining on a real SQLite file, with uploads through the one ingestion path
/// and real ML.NET training: a customer id typed by the DPO reaches every version, run, model and live deployment, and the model is
/// retrained without that customer's rows.
/// </summary>
public sealed class ErasureTests : IAsyncLifetime
{
    private const string Subject = "C-0007";

    private readonly SqliteTestDatabase database = new();
    private readonly RetrainingScenario scenario;

    public ErasureTests() => scenario = new(database);

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task UploadIndexesEveryColumnAsSortedEightByteHashesThatHoldNoValueBytes()
    {
        var uploaded = await scenario.UploadAsync("customers", WithCustomers(40));

        await using var db = await scenario.Db.CreateDbContextAsync();
        var indexes = await db.DatasetSubjectIndexes.AsNoTracking().Where(i => i.DatasetVersionId == uploaded.Version.Id).OrderBy(i => i.Ordinal).ToListAsync();
        Assert.Equal(["customer", "age", "income", "city", RetrainingScenario.Label], indexes.Select(i => i.ColumnName));
        Assert.All(indexes, i => Assert.Equal(scenario.Keys.Key.KeyId, i.KeyId));
        var customer = indexes[0];
        Assert.Equal(38, customer.DistinctValues); // 40 rows, C-0007 three times
        var bytes = await File.ReadAllBytesAsync(Path.Combine(database.Folder, "artifacts", customer.RelativePath));
        Assert.Equal(38 * SubjectIndexFile.EntryBytes, bytes.Length);
        var entries = Enumerable.Range(0, 38).Select(i => BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(i * 8))).ToList();
        Assert.Equal(entries.Order(), entries);
        Assert.Contains(scenario.Keys.Key.Hash(Subject)!.Value, entries);
        // Nothing of the values is in the file: not the ids, not the cities.
        var text = Encoding.Latin1.GetString(bytes);
        Assert.DoesNotContain("C-00", text, StringComparison.Ordinal);
        var cities = await File.ReadAllBytesAsync(Path.Combine(database.Folder, "artifacts", indexes[3].RelativePath));
        Assert.Equal(3 * 8, cities.Length);
        Assert.DoesNotContain("Bern", Encoding.Latin1.GetString(cities), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImpactFindsTheSubjectWhateverItsCaseAndSpacesAndNothingForAnotherValue()
    {
        var first = await scenario.UploadAsync("customers", WithCustomers(40));
        var other = await scenario.UploadAsync("prospects", WithCustomers(5));

        var hit = await scenario.Impact.OfSubjectAsync("customer", "  c-0007 ", CancellationToken.None);
        Assert.True(hit.Succeeded, hit.Error);
        Assert.Equal(first.Version.Id, Assert.Single(hit.Value!.DatasetVersions).VersionId);
        Assert.Equal(SubjectKey.Format(scenario.Keys.Key.Hash(Subject)!.Value), hit.Value.KeyHash);
        Assert.Equal(2, hit.Value.IndexesSearched);

        var both = await scenario.Impact.OfSubjectAsync("customer", "C-0001", CancellationToken.None);
        Assert.Equal(new[] { first.Version.Id, other.Version.Id }.ToHashSet(), both.Value!.DatasetVersions.Select(v => v.VersionId).ToHashSet());

        var miss = await scenario.Impact.OfSubjectAsync("customer", "C-9999", CancellationToken.None);
        Assert.Empty(miss.Value!.DatasetVersions);
        var otherColumn = await scenario.Impact.OfSubjectAsync("city", Subject, CancellationToken.None);
        Assert.Empty(otherColumn.Value!.DatasetVersions);

        var blank = await scenario.Impact.OfSubjectAsync("customer", "   ", CancellationToken.None);
        Assert.Equal(OperationStatus.Invalid, blank.Status);
    }

    [Fact]
    public async Task AnIndexBuiltUnderAnotherKeyIsReportedUnusableAndNotSearched()
    {
        await scenario.UploadAsync("customers", WithCustomers(10));
        var otherKey = new SubjectKeyProvider(new SubjectKey(Enumerable.Repeat((byte)9, 32).ToArray()));
        var impact = new ErasureImpact(database.Factory, new SubjectIndexStore(Path.Combine(database.Folder, "artifacts")), otherKey);

        var report = (await impact.OfSubjectAsync("customer", Subject, CancellationToken.None)).Value!;

        Assert.NotEqual(scenario.Keys.Key.KeyId, otherKey.Key.KeyId);
        Assert.Empty(report.DatasetVersions);
        Assert.Equal(0, report.IndexesSearched);
        Assert.Equal(1, report.VersionsWithoutUsableIndex);
    }

    [Fact]
    public async Task TheKeyFingerprintNamesTheKeyAndNormalisingFoldsCaseSpacesAndUnicodeForms()
    {
        var a = new SubjectKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var same = new SubjectKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var other = new SubjectKey(Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());

        Assert.Equal(a.KeyId, same.KeyId);
        Assert.NotEqual(a.KeyId, other.KeyId);
        Assert.Equal(16, a.KeyId.Length);
        Assert.Equal(a.Hash("Zoë@Example.com"), a.Hash(" zoe\u0308@example.COM\t"));
        Assert.NotEqual(a.Hash(Subject), other.Hash(Subject));
        Assert.Null(a.Hash(" \t"));
        Assert.Throws<ArgumentException>(() => new SubjectKey(new byte[16]));
    }

    [Fact]
    public async Task ImpactFollowsTheSubjectToRunsModelVersionsAndTheProductionDeployment()
    {
        var (model, champion, championRun) = await scenario.ModelWithChampionAsync("churn", null, WithCustomers(300));

        var report = (await scenario.Impact.OfSubjectAsync("customer", Subject, CancellationToken.None)).Value!;

        Assert.Equal(champion.DatasetVersionIds[0], Assert.Single(report.DatasetVersions).VersionId);
        Assert.Equal(championRun, Assert.Single(report.Runs).RunId);
        var version = Assert.Single(report.ModelVersions);
        Assert.Equal((model.Id, 1, ModelStage.Production), (version.ModelId, version.Number, version.Stage));
        var live = Assert.Single(report.LiveDeployments);
        Assert.Equal(("churn", 1, "production"), (live.Model, live.Number, live.Kind));

        var byVersion = (await scenario.Impact.OfVersionAsync(champion.DatasetVersionIds[0], CancellationToken.None)).Value!;
        Assert.Single(byVersion.LiveDeployments);
        Assert.Equal(OperationStatus.NotFound, (await scenario.Impact.OfVersionAsync(DatasetVersionId.New(scenario.Now), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task MarkingForErasureRecordsTheHashNotTheValueAndOpensARetrainRequiredTaskThatTheLoopTrainsWithoutTheSubjectsRows()
    {
        var (model, champion, _) = await scenario.ModelWithChampionAsync("churn", null, WithCustomers(300));
        var dpo = AuditActor.User("dpo-id", "dpo@portal.local");

        var marked = await scenario.Erasure.MarkAsync(new MarkForErasure("customer", Subject, null, "Art. 17 request 2026-114"), dpo, CancellationToken.None);

        Assert.True(marked.Succeeded, marked.Error);
        Assert.Equal(["churn"], marked.Value!.RetrainModels);
        await using (var db = await scenario.Db.CreateDbContextAsync())
        {
            var request = await db.ErasureRequests.AsNoTracking().SingleAsync();
            Assert.Equal(("customer", SubjectKey.Format(scenario.Keys.Key.Hash(Subject)!.Value)), (request.KeyColumn, request.KeyHash));
            var version = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == champion.DatasetVersionIds[0]);
            Assert.Equal(request.Id, version.ErasureRequestId);
            Assert.NotNull(version.ErasureMarkedUtc);
            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "erasure.requested" || a.Action == "retraining.required").ToListAsync();
            Assert.Equal(["erasure.requested", "retraining.required"], audit.Select(a => a.Action).Order());
            var everything = string.Join("\n", await db.AuditEntries.AsNoTracking().Select(a => a.DetailsJson).ToListAsync())
                + string.Join("\n", await db.WebhookDeliveries.AsNoTracking().Select(d => d.Payload).ToListAsync());
            Assert.DoesNotContain(Subject, everything, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(request.KeyHash!, everything, StringComparison.Ordinal);
        }

        var task = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        Assert.Equal((RetrainingTrigger.Erasure, RetrainingState.Waiting, marked.Value.RequestId), (task.Trigger, task.State, task.ErasureRequestId));

        // No retraining policy on the model: the erasure task starts anyway.
        Assert.Equal([task.Id], await scenario.Loop.StartDueAsync(scenario.Settings, CancellationToken.None));
        Assert.Equal(RetrainingState.Training, await scenario.Loop.AdvanceAsync(task.Id, scenario.Settings, CancellationToken.None));
        var training = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        await using (var db = await scenario.Db.CreateDbContextAsync())
        {
            var data = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == training.DatasetVersionId);
            Assert.Equal(2, data.Version);
            Assert.Equal(300 - 3, data.RowCount); // the subject had three rows
            Assert.Null(data.ErasureMarkedUtc);
        }

        var after = (await scenario.Impact.OfSubjectAsync("customer", Subject, CancellationToken.None)).Value!;
        Assert.DoesNotContain(after.DatasetVersions, v => v.VersionId == training.DatasetVersionId);
        var run = await scenario.Worker.RunAsync(training.RunId!.Value);
        Assert.Equal(training.DatasetVersionId, run.DatasetVersionId);
        await scenario.TrainAsync(run.Id);
        Assert.Equal(RetrainingState.Requested, await scenario.Loop.AdvanceAsync(task.Id, scenario.Settings, CancellationToken.None));
        var done = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        Assert.Contains($"Erasure request {marked.Value.RequestId}", done.Reason, StringComparison.Ordinal);
        Assert.Contains("without the 3 row(s) of the data subject", done.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkingASubjectNoIndexHoldsMarksNothing()
    {
        await scenario.UploadAsync("customers", WithCustomers(10));

        var marked = await scenario.Erasure.MarkAsync(new MarkForErasure("customer", "C-9999", null, "request"), AuditActor.User("dpo", "dpo"), CancellationToken.None);
        var noReason = await scenario.Erasure.MarkAsync(new MarkForErasure("customer", Subject, null, " "), AuditActor.User("dpo", "dpo"), CancellationToken.None);

        Assert.Equal(OperationStatus.NotFound, marked.Status);
        Assert.Equal(OperationStatus.Invalid, noReason.Status);
        await using var db = await scenario.Db.CreateDbContextAsync();
        Assert.False(await db.ErasureRequests.AnyAsync());
    }

    [Fact]
    public async Task TheBackfillIndexesVersionsWithoutAnIndexOnce()
    {
        var uploaded = await scenario.UploadAsync("customers", WithCustomers(10));
        await using (var db = await scenario.Db.CreateDbContextAsync())
        {
            await db.DatasetSubjectIndexes.ExecuteDeleteAsync();
        }

        Assert.Empty((await scenario.Impact.OfSubjectAsync("customer", Subject, CancellationToken.None)).Value!.DatasetVersions);
        Assert.Equal(1, await scenario.Indexer.BackfillAsync(10, CancellationToken.None));
        Assert.Equal(0, await scenario.Indexer.BackfillAsync(10, CancellationToken.None));
        Assert.Equal(uploaded.Version.Id, Assert.Single((await scenario.Impact.OfSubjectAsync("customer", Subject, CancellationToken.None)).Value!.DatasetVersions).VersionId);
    }

    /// <summary>The scenario's applicants with a leading customer id; customer C-0007 has three rows (0007, and two more at the end).</summary>
    public static string WithCustomers(int rows)
    {
        var lines = RetrainingScenario.Csv(new Random(1), rows, drifted: false).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder("customer,").Append(lines[0]).Append('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var id = i - 1;
            var customer = rows > 20 && i >= lines.Length - 2 ? 7 : id;
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"C-{customer:0000},").Append(lines[i]).Append('\n');
        }

        return text.ToString();
    }
}
