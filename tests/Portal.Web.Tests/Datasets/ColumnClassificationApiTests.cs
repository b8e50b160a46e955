using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application;
using Portal.Application.Datasets;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Datasets;

/// <summary>The DPO's classification on SQLite.</summary>
public sealed class ColumnClassificationApiTests(ClassificationAppFactory factory)
    : ColumnClassificationApiTestsBase(factory), IClassFixture<ClassificationAppFactory>;

/// <summary>The DPO's classification on a private PostgreSQL server.</summary>
public sealed class PostgresColumnClassificationApiTests(PostgresClassificationAppFactory factory)
    : ColumnClassificationApiTestsBase(factory), IClassFixture<PostgresClassificationAppFactory>;

/// <summary>
/// <c>PUT /api/datasets/{id}/versions/{version}/columns/{column}/classification</c> and confirming suggestions: only the DPO,
/// a clear refusal for every bad address or value, and an audit entry per changed column saved in the same transaction as
/// the change and as what the change listener does.
/// </summary>
public abstract class ColumnClassificationApiTestsBase(PortalAppFactory factory)
{
    private const string People = """
        email,age,gender,plan,explodes,goes_stale
        ann@example.com,34,f,basic,1,a
        bob@example.org,45,m,premium,2,b
        cy@example.net,23,f,basic,3,c
        dee@example.com,51,m,premium,4,d
        """;

    private RecordingClassificationListener Listener => factory.Services.GetRequiredService<RecordingClassificationListener>();

    [Fact]
    public async Task TheDpoClassifiesAColumnAndTheAnswerTheDatasetAndTheAuditShowIt()
    {
        var (id, versionId) = await UploadAsync();
        var dpo = await ClientAsync(DemoAccounts.Dpo);

        var response = await dpo.PutAsJsonAsync(Url(id, 1, "gender"), new { classification = "Personal", sensitive = true });
        var body = await response.JsonAsync();
        var dataset = await dpo.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gender", body.GetProperty("name").GetString());
        Assert.Equal("Personal", body.GetProperty("classification").GetString());
        Assert.True(body.GetProperty("sensitive").GetBoolean());
        Assert.Equal(DemoAccounts.Dpo, body.GetProperty("classifiedBy").GetString());
        var gender = Column(dataset, "gender");
        Assert.Equal("Personal", gender.GetProperty("classification").GetString());
        Assert.True(gender.GetProperty("sensitive").GetBoolean());
        Assert.Equal(DemoAccounts.Dpo, gender.GetProperty("classifiedBy").GetString());
        Assert.NotEqual(JsonValueKind.Null, gender.GetProperty("classifiedUtc").ValueKind);
        Assert.Equal("Unclassified", Column(dataset, "plan").GetProperty("classification").GetString());

        var details = Assert.Single(await ClassifiedEntriesAsync(versionId));
        using var json = JsonDocument.Parse(details);
        Assert.Equal("gender", json.RootElement.GetProperty("column").GetString());
        Assert.Equal("Unclassified", json.RootElement.GetProperty("before").GetString());
        Assert.Equal("Personal", json.RootElement.GetProperty("after").GetString());
        Assert.True(json.RootElement.GetProperty("sensitive").GetBoolean());

        // The listener ran before the save, on the context that held the audit entry: one unit of work.
        var call = Assert.Single(Listener.Calls, c => c.VersionId.ToString() == versionId);
        Assert.Equal("gender", Assert.Single(call.Changes).Column);
        Assert.Equal(1, call.PendingAuditEntries);
    }

    [Fact]
    public async Task ASpecialCategoryColumnIsStoredAsSensitiveWhateverTheBodySays()
    {
        var (id, _) = await UploadAsync();

        var body = await (await (await ClientAsync(DemoAccounts.Dpo)).PutAsJsonAsync(Url(id, 1, "age"),
            new { classification = "specialcategory", sensitive = false })).JsonAsync();

        Assert.Equal("SpecialCategory", body.GetProperty("classification").GetString());
        Assert.True(body.GetProperty("sensitive").GetBoolean());
    }

    [Theory]
    [InlineData("\"Secret\"")]
    [InlineData("\"Unclassified\"")]
    [InlineData("\"2\"")]
    [InlineData("\"NotPersonal, Personal\"")]
    [InlineData("null")]
    public async Task AClassificationThatIsNotAllowedIsRefusedSayingTheAllowedValuesAndWritesNothing(string classification)
    {
        var (id, versionId) = await UploadAsync();

        var response = await (await ClientAsync(DemoAccounts.Dpo)).PutAsync(Url(id, 1, "age"),
            new StringContent($$"""{"classification":{{classification}},"sensitive":true}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("NotPersonal, Personal or SpecialCategory", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Empty(await ClassifiedEntriesAsync(versionId));
    }

    [Theory]
    [InlineData(Roles.DataScientist)]
    [InlineData(Roles.BusinessManager)]
    [InlineData(Roles.Administrator)]
    public async Task NobodyButTheDpoMayClassifyAndNothingChanges(string role)
    {
        var (id, versionId) = await UploadAsync();

        var response = await (await ClientAsync(DemoAccounts.ByRole[role])).PutAsJsonAsync(Url(id, 1, "email"), new { classification = "NotPersonal" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var dataset = await (await ClientAsync(DemoAccounts.Dpo)).GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");
        Assert.Equal("Unclassified", Column(dataset, "email").GetProperty("classification").GetString());
        Assert.Empty(await ClassifiedEntriesAsync(versionId));
    }

    [Fact]
    public async Task TheUseCaseItselfRefusesAnyoneButTheDpo()
    {
        var (id, versionId) = await UploadAsync();
        var classification = factory.Services.GetRequiredService<ColumnClassification>();
        var admin = AuditActor.User("admin-id", DemoAccounts.Admin);

        var one = await classification.ClassifyAsync(new DatasetId(id), 1, "email", DataClassification.NotPersonal, false, admin, [Roles.Administrator], default);
        var all = await classification.ConfirmSuggestionsAsync(new DatasetId(id), 1, admin, [Roles.Administrator, Roles.DataScientist], default);

        Assert.Equal(OperationStatus.Forbidden, one.Status);
        Assert.Equal(OperationStatus.Forbidden, all.Status);
        Assert.Empty(await ClassifiedEntriesAsync(versionId));
    }

    [Fact]
    public async Task AnUnknownDatasetVersionOrColumnIsNotFoundWithTheReason()
    {
        var (id, _) = await UploadAsync();
        var dpo = await ClientAsync(DemoAccounts.Dpo);

        var dataset = await dpo.PutAsJsonAsync(Url(Guid.NewGuid(), 1, "age"), new { classification = "Personal" });
        var version = await dpo.PutAsJsonAsync(Url(id, 9, "age"), new { classification = "Personal" });
        var notANumber = await dpo.PutAsJsonAsync($"/api/datasets/{id}/versions/latest/columns/age/classification", new { classification = "Personal" });
        var column = await dpo.PutAsJsonAsync(Url(id, 1, "salary"), new { classification = "Personal" });

        Assert.All([dataset, version, notANumber, column], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Contains("No dataset has the id", await DetailAsync(dataset));
        Assert.Contains("has no version 9; its versions are 1 to 1", await DetailAsync(version));
        Assert.Contains("'latest' is not a version", await DetailAsync(notANumber));
        Assert.Contains("no column 'salary'; its columns are email, age, gender", await DetailAsync(column));
    }

    [Fact]
    public async Task ClassifyingAgainAsItIsWritesNoEntryAndTellsNoListener()
    {
        var (id, versionId) = await UploadAsync();
        var dpo = await ClientAsync(DemoAccounts.Dpo);
        await dpo.PutAsJsonAsync(Url(id, 1, "plan"), new { classification = "NotPersonal" });

        var again = await dpo.PutAsJsonAsync(Url(id, 1, "PLAN"), new { classification = "NotPersonal", sensitive = false });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await ClassifiedEntriesAsync(versionId));
        Assert.Single(Listener.Calls, c => c.VersionId.ToString() == versionId);
    }

    [Fact]
    public async Task WhenTheListenerFailsNeitherTheClassificationNorItsAuditEntryIsSaved()
    {
        var (id, versionId) = await UploadAsync();
        var dpo = await ClientAsync(DemoAccounts.Dpo);

        var response = await dpo.PutAsJsonAsync(Url(id, 1, RecordingClassificationListener.FailingColumn), new { classification = "Personal" });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var dataset = await dpo.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");
        Assert.Equal("Unclassified", Column(dataset, RecordingClassificationListener.FailingColumn).GetProperty("classification").GetString());
        Assert.Empty(await ClassifiedEntriesAsync(versionId));
    }

    [Fact]
    public async Task WhatTheListenerWritesIsSavedWithTheClassification()
    {
        var (id, versionId) = await UploadAsync();

        var response = await (await ClientAsync(DemoAccounts.Dpo)).PutAsJsonAsync(Url(id, 1, RecordingClassificationListener.WritingColumn),
            new { classification = "Personal" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await DbAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.PromotionStale.Name && a.SubjectId == versionId));
        Assert.Single(await ClassifiedEntriesAsync(versionId));
    }

    [Fact]
    public async Task ConfirmingSuggestionsClassifiesEveryUnclassifiedColumnWithAnEntryEachInOneTransaction()
    {
        var (id, versionId) = await UploadAsync(withListenerColumns: false);
        var dpo = await ClientAsync(DemoAccounts.Dpo);
        await dpo.PutAsJsonAsync(Url(id, 1, "gender"), new { classification = "Personal", sensitive = true });
        var classification = factory.Services.GetRequiredService<ColumnClassification>();

        var result = await classification.ConfirmSuggestionsAsync(new DatasetId(id), 1, AuditActor.User("dpo-id", DemoAccounts.Dpo),
            [Roles.DataProtectionOfficer], default);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["email", "age", "plan"], result.Value!.Select(c => c.Column));
        var dataset = await dpo.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");
        Assert.Equal("Personal", Column(dataset, "email").GetProperty("classification").GetString()); // suspected → Personal
        Assert.Equal("NotPersonal", Column(dataset, "plan").GetProperty("classification").GetString()); // not suspected → NotPersonal
        Assert.True(Column(dataset, "gender").GetProperty("sensitive").GetBoolean()); // the DPO's decision stands
        Assert.Equal(4, (await ClassifiedEntriesAsync(versionId)).Count);
        var call = Listener.Calls.Last(c => c.VersionId.ToString() == versionId);
        Assert.Equal(3, call.Changes.Count);
        Assert.Equal(3, call.PendingAuditEntries);
    }

    [Fact]
    public async Task ConfirmingSuggestionsIsAllOrNothing()
    {
        var (id, versionId) = await UploadAsync();
        var classification = factory.Services.GetRequiredService<ColumnClassification>();

        // The listener fails on one of the columns: none of the others may stay classified either.
        await Assert.ThrowsAsync<InvalidOperationException>(() => classification.ConfirmSuggestionsAsync(new DatasetId(id), 1,
            AuditActor.User("dpo-id", DemoAccounts.Dpo), [Roles.DataProtectionOfficer], default));

        var dataset = await (await ClientAsync(DemoAccounts.Dpo)).GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");
        Assert.All(dataset.GetProperty("version").GetProperty("columns").EnumerateArray(),
            c => Assert.Equal("Unclassified", c.GetProperty("classification").GetString()));
        Assert.Empty(await ClassifiedEntriesAsync(versionId));
    }

    [Fact]
    public async Task TheClassificationQueryAnswersPerVersionWithSensitiveColumnsAndTheSignOffNeed()
    {
        var (id, versionId) = await UploadAsync(withListenerColumns: false);
        var dpo = await ClientAsync(DemoAccounts.Dpo);
        foreach (var (column, value, sensitive) in new[] { ("email", "Personal", false), ("age", "NotPersonal", true), ("gender", "SpecialCategory", false), ("plan", "NotPersonal", false) })
        {
            (await dpo.PutAsJsonAsync(Url(id, 1, column), new { classification = value, sensitive })).EnsureSuccessStatusCode();
        }

        var (_, otherVersionId) = await UploadAsync(withListenerColumns: false);
        var query = factory.Services.GetRequiredService<DatasetClassificationQuery>();
        var unknown = DatasetVersionId.New(DateTimeOffset.UtcNow);

        var answer = await query.ForVersionsAsync([DatasetVersionId.Parse(versionId), DatasetVersionId.Parse(otherVersionId), unknown], default);

        Assert.Equal(2, answer.Count);
        var classified = answer[DatasetVersionId.Parse(versionId)];
        Assert.Equal(["email", "age", "gender", "plan"], classified.Columns.Select(c => c.Name));
        Assert.Equal(["age", "gender"], classified.SensitiveColumns.Select(c => c.Name));
        Assert.True(classified.RequiresSignOff); // email is personal
        Assert.Empty(classified.UnclassifiedColumns);
        var untouched = answer[DatasetVersionId.Parse(otherVersionId)];
        Assert.True(untouched.RequiresSignOff);
        Assert.Equal(4, untouched.UnclassifiedColumns.Count);
    }

    private static string Url(Guid id, int version, string column) => $"/api/datasets/{id}/versions/{version}/columns/{column}/classification";

    private static JsonElement Column(JsonElement dataset, string name) =>
        dataset.GetProperty("version").GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static async Task<string?> DetailAsync(HttpResponseMessage response) => (await response.JsonAsync()).GetProperty("detail").GetString();

    /// <summary>Uploads the people CSV under a new name; its id and version id.</summary>
    private async Task<(Guid Id, string VersionId)> UploadAsync(bool withListenerColumns = true)
    {
        var csv = withListenerColumns ? People : string.Join("\n", People.Split('\n').Select(l => string.Join(',', l.Trim().Split(',').Take(4))));
        var response = await (await ClientAsync(DemoAccounts.Scientist)).UploadCsvAsync($"people-{Guid.NewGuid():N}", csv);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        return (body.GetProperty("datasetId").GetGuid(), body.GetProperty("versionId").GetGuid().ToString());
    }

    private async Task<List<string>> ClassifiedEntriesAsync(string versionId)
    {
        await using var db = await DbAsync();
        return await db.AuditEntries.Where(a => a.Action == AuditActions.DatasetColumnClassified.Name && a.SubjectId == versionId)
            .OrderBy(a => a.Sequence).Select(a => a.DetailsJson).ToListAsync();
    }

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private async Task<HttpClient> ClientAsync(string email) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read, ApiScopes.Write)).Token);
}
