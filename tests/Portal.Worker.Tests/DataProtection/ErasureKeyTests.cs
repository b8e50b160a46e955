using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Portal.Application;
using Portal.Application.Datasets;
using Portal.Application.Privacy;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Tests.Infrastructure;
using Portal.Worker.Tests.Monitoring;

namespace Portal.Worker.Tests.DataProtection;

/// <summary>
/// The erasure-index key outside Development: without one, uploads are kept (unindexed) and erasure searches answer 409 naming the
/// setting, and the sweep indexes the versions once a key is set; a key that is set but malformed is refused at start.
/// </summary>
public sealed class ErasureKeyTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase database = new();
    private readonly RetrainingScenario scenario;

    public ErasureKeyTests() => scenario = new(database);

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task WithoutAKeyAnUploadIsKeptUnindexedTheSearchSaysWhatToSetAndTheSweepIndexesItOnceAKeyIsSet()
    {
        // Arrange: production without DataProtection:SubjectKey or SubjectKeyFile.
        var noKey = new SubjectKeyProvider(Options.Create(new DataProtectionOptions()), Production(), database.Folder);
        var indexes = new SubjectIndexStore(Path.Combine(database.Folder, "artifacts"));
        var indexer = new SubjectIndexer(database.Factory, scenario.Worker.Store, indexes, noKey, scenario.Worker.Time);
        var ingestion = new DatasetIngestion(database.Factory, scenario.Worker.Store, new AuditTrail(database.Factory, scenario.Worker.Time), scenario.Worker.Time, indexer);

        // Act: an upload and a search.
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(ErasureTests.WithCustomers(20)));
        var staged = await ingestion.StageAsync(content, 10_000_000, CancellationToken.None);
        using var upload = staged.Value!;
        var saved = await ingestion.SaveAsync("customers", "customers.csv", upload, RetrainingScenario.Scientist, CancellationToken.None);
        var search = await new ErasureImpact(database.Factory, indexes, noKey).OfSubjectAsync("customer", "C-0007", CancellationToken.None);

        // Assert: the version is there without an index; the search is a conflict that names the setting; no backfill without a key.
        Assert.True(saved.Created);
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            Assert.Equal(0, await db.DatasetSubjectIndexes.CountAsync());
        }

        Assert.Equal(OperationStatus.Conflict, search.Status);
        Assert.Contains("DataProtection:SubjectKey", search.Error, StringComparison.Ordinal);
        Assert.Equal(0, await indexer.BackfillAsync(10, CancellationToken.None));

        // Act: a key is configured; the sweep's backfill runs.
        var indexed = await scenario.Indexer.BackfillAsync(10, CancellationToken.None);

        // Assert: the version is indexed and the subject found.
        Assert.Equal(1, indexed);
        var found = await scenario.Impact.OfSubjectAsync("customer", "C-0007", CancellationToken.None);
        Assert.True(found.Succeeded, found.Error);
        Assert.Equal(saved.Version.Id, Assert.Single(found.Value!.DatasetVersions).VersionId);
    }

    [Theory]
    [InlineData("not base64!", null, "not base64")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", null, "16 bytes")]
    [InlineData(null, "keys/missing.key", "does not exist")]
    public void AMalformedKeyIsRefusedAtStartWithTheSettingNamed(string? key, string? file, string expected)
    {
        var validator = new DataProtectionOptionsValidator(Options.Create(new DatabaseOptions { DataDirectory = database.Folder }), Production());

        var result = validator.Validate(null, new DataProtectionOptions { SubjectKey = key, SubjectKeyFile = file });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("DataProtection:SubjectKey", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NoKeyAndAWellFormedKeyBothStart()
    {
        var validator = new DataProtectionOptionsValidator(Options.Create(new DatabaseOptions { DataDirectory = database.Folder }), Production());

        Assert.True(validator.Validate(null, new DataProtectionOptions()).Succeeded);
        Assert.True(validator.Validate(null, new DataProtectionOptions { SubjectKey = Convert.ToBase64String(new byte[32]) }).Succeeded);
    }

    private static HostingEnvironment Production() => new() { EnvironmentName = Environments.Production, ContentRootPath = Path.GetTempPath() };
}
