using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.DataProtection;

/// <summary>
/// Purpose, legal basis and retention through <c>PUT .../columns/{column}/classification</c>: recorded and audited for the
/// DPO, refused with a 400 that says what to fix, 403 for everyone else; carried to the next version with added and retyped
/// columns flagged, one audit entry and a live event; sample values of personal columns for the DPO and the owner only.
/// </summary>
public sealed class ColumnProtectionApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private const string People = """
        email,age,health,plan
        ann@example.com,34,asthma,basic
        bob@example.org,45,none,premium
        cy@example.net,23,none,basic
        dee@example.com,51,diabetes,premium
        """;

    [Fact]
    public async Task TheDpoRecordsPurposeLegalBasisAndRetentionAndTheDatasetAndTheAuditShowThem()
    {
        var (id, versionId) = await UploadAsync(People);
        var dpo = await ClientAsync(DemoAccounts.Dpo);

        var response = await dpo.PutAsJsonAsync(Url(id, 1, "email"), new
        {
            classification = "Personal",
            protection = new { purpose = "To bill the customer", legalBasis = "contract", retentionDays = 365 },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(("To bill the customer", "Contract", 365),
            (body.GetProperty("purpose").GetString(), body.GetProperty("legalBasis").GetString(), body.GetProperty("retentionDays").GetInt32()));
        var email = Column(await dpo.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}"), "email");
        Assert.Equal("Contract", email.GetProperty("legalBasis").GetString());
        Assert.Equal(365, email.GetProperty("retentionDays").GetInt32());
        var entry = Assert.Single(await EntriesAsync(AuditActions.DatasetColumnClassified.Name, versionId));
        Assert.Contains("\"legalBasis\":\"Contract\"", entry);
        Assert.Contains("\"retentionDays\":365", entry);
        Assert.Contains("\"purpose\":\"To bill the customer\"", entry);
    }

    [Fact]
    public async Task AClassificationWithoutProtectionKeepsWhatWasRecorded()
    {
        var (id, _) = await UploadAsync(People);
        var dpo = await ClientAsync(DemoAccounts.Dpo);
        await dpo.PutAsJsonAsync(Url(id, 1, "email"), new { classification = "Personal", protection = new { purpose = "billing", legalBasis = "Contract", retentionDays = 30 } });

        var response = await dpo.PutAsJsonAsync(Url(id, 1, "email"), new { classification = "Personal", sensitive = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(("billing", "Contract", 30, true),
            (body.GetProperty("purpose").GetString(), body.GetProperty("legalBasis").GetString(), body.GetProperty("retentionDays").GetInt32(), body.GetProperty("sensitive").GetBoolean()));
    }

    [Theory]
    [InlineData("health", """{"classification":"SpecialCategory","protection":{"legalBasis":"Consent"}}""", "Art. 9(2) condition")]
    [InlineData("health", """{"classification":"SpecialCategory","protection":{"purpose":"care"}}""", "Art. 9(2) condition")]
    [InlineData("email", """{"classification":"Personal","protection":{"legalBasis":"ExplicitConsent"}}""", "only for special-category columns")]
    [InlineData("email", """{"classification":"Personal","protection":{"legalBasis":"Bribery"}}""", "protection.legalBasis must be one of")]
    [InlineData("email", """{"classification":"Personal","protection":{"legalBasis":"1"}}""", "protection.legalBasis must be one of")]
    [InlineData("email", """{"classification":"Personal","protection":{"retentionDays":0}}""", "retentionDays must be 1 to 36500")]
    [InlineData("email", """{"classification":"Personal","protection":{"retentionDays":36501}}""", "retentionDays must be 1 to 36500")]
    [InlineData("plan", """{"classification":"NotPersonal","protection":{"legalBasis":"Consent"}}""", "needs no legal basis")]
    public async Task ProtectionThatBreaksARuleIsA400ThatSaysWhyAndNothingIsWritten(string column, string json, string message)
    {
        var (id, versionId) = await UploadAsync(People);
        var dpo = await ClientAsync(DemoAccounts.Dpo);

        var response = await dpo.PutAsync(Url(id, 1, column), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Empty(await EntriesAsync(AuditActions.DatasetColumnClassified.Name, versionId));
        Assert.Equal("Unclassified", Column(await dpo.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}"), column).GetProperty("classification").GetString());
    }

    [Theory]
    [InlineData(DemoAccounts.Scientist)]
    [InlineData(DemoAccounts.Manager)]
    [InlineData(DemoAccounts.Admin)]
    public async Task NobodyButTheDpoRecordsALegalBasis(string email)
    {
        var (id, versionId) = await UploadAsync(People);
        var client = await ClientAsync(email);

        var response = await client.PutAsJsonAsync(Url(id, 1, "email"), new { classification = "Personal", protection = new { legalBasis = "Consent" } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await EntriesAsync(AuditActions.DatasetColumnClassified.Name, versionId));
    }

    [Fact]
    public async Task ANewVersionCarriesTheClassificationFlagsAddedAndRetypedColumnsAuditsAndPublishesIt()
    {
        var name = $"carry-{Guid.NewGuid():N}"[..16];
        var (id, _) = await UploadAsync(People, name);
        var dpo = await ClientAsync(DemoAccounts.Dpo);
        await dpo.PutAsJsonAsync(Url(id, 1, "email"), new { classification = "Personal", protection = new { purpose = "billing", legalBasis = "Contract", retentionDays = 90 } });
        await dpo.PutAsJsonAsync(Url(id, 1, "age"), new { classification = "Personal", sensitive = true });
        await dpo.PutAsJsonAsync(Url(id, 1, "plan"), new { classification = "NotPersonal" });
        const string next = """
            email,age,plan,postcode
            ann@example.com,thirty,basic,1010
            bob@example.org,forty,premium,2020
            cy@example.net,twenty,basic,3030
            dee@example.com,fifty,premium,4040
            """;

        var (_, v2) = await UploadAsync(next, name);

        var dataset = await dpo.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}?version=2");
        var email = Column(dataset, "email");
        Assert.Equal(("Personal", "Contract", 90, 1), (email.GetProperty("classification").GetString(), email.GetProperty("legalBasis").GetString(),
            email.GetProperty("retentionDays").GetInt32(), email.GetProperty("carriedFromVersion").GetInt32()));
        Assert.Equal(("Unclassified", "Retyped"), (Column(dataset, "age").GetProperty("classification").GetString(), Column(dataset, "age").GetProperty("changeSincePrevious").GetString()));
        Assert.Equal(("Unclassified", "Added"), (Column(dataset, "postcode").GetProperty("classification").GetString(), Column(dataset, "postcode").GetProperty("changeSincePrevious").GetString()));
        var carried = JsonDocument.Parse(Assert.Single(await EntriesAsync(AuditActions.DatasetClassificationCarried.Name, v2))).RootElement;
        Assert.Equal(["email", "plan"], carried.GetProperty("carried").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["postcode"], carried.GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["age"], carried.GetProperty("retyped").EnumerateArray().Select(e => e.GetString()));
        await using var db = await DbAsync();
        Assert.True(await db.LiveEvents.AnyAsync(e => e.Topic == LiveTopics.DataProtection && e.Payload.Contains("v2: 2 column(s) carried from v1, 1 added, 1 retyped")));
    }

    [Theory]
    [InlineData(DemoAccounts.Scientist, true)] // created the dataset: its owner
    [InlineData(DemoAccounts.Dpo, true)]
    [InlineData("scientist2@portal.local", false)] // uploaded version 2, but does not own the dataset
    [InlineData(DemoAccounts.Manager, false)]
    public async Task SampleValuesOfPersonalColumnsReachOnlyTheDpoAndTheDatasetsOwner(string reader, bool seesValues)
    {
        var name = $"pii-{Guid.NewGuid():N}"[..14];
        var (id, _) = await UploadAsync(People, name);
        var other = await ClientAsync("scientist2@portal.local");
        Assert.Equal(HttpStatusCode.Created, (await other.UploadCsvAsync(name, People + "\neve@example.com,60,none,basic")).StatusCode);
        var dpo = await ClientAsync(DemoAccounts.Dpo);
        // Classified as personal although nothing suspected it; classified not personal although it was suspected.
        await dpo.PutAsJsonAsync(Url(id, 2, "health"), new { classification = "SpecialCategory", protection = new { legalBasis = "HealthOrSocialCare" } });
        await dpo.PutAsJsonAsync(Url(id, 2, "email"), new { classification = "NotPersonal" });
        var client = await ClientAsync(reader);

        var body = await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}?version=2");

        var profile = body.GetProperty("profile").EnumerateArray().ToDictionary(c => c.GetProperty("schema").GetProperty("name").GetString()!);
        var health = profile["health"].GetProperty("topValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()).ToList();
        Assert.Equal(seesValues, health.Contains("asthma"));
        Assert.Equal(!seesValues, body.GetProperty("personalValuesWithheld").GetBoolean());
        Assert.Contains("ann@example.com", profile["email"].GetProperty("topValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        if (!seesValues)
        {
            Assert.DoesNotContain("asthma", body.GetRawText());
        }
    }

    private static string Url(Guid id, int version, string column) => $"/api/datasets/{id}/versions/{version}/columns/{column}/classification";

    private static JsonElement Column(JsonElement dataset, string name) =>
        dataset.GetProperty("version").GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private async Task<(Guid Id, string VersionId)> UploadAsync(string csv, string? name = null)
    {
        var response = await (await ClientAsync(DemoAccounts.Scientist)).UploadCsvAsync(name ?? $"people-{Guid.NewGuid():N}", csv);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        return (body.GetProperty("datasetId").GetGuid(), body.GetProperty("versionId").GetGuid().ToString());
    }

    private async Task<List<string>> EntriesAsync(string action, string versionId)
    {
        await using var db = await DbAsync();
        return await db.AuditEntries.Where(a => a.Action == action && a.SubjectId == versionId).OrderBy(a => a.Sequence).Select(a => a.DetailsJson).ToListAsync();
    }

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private async Task<HttpClient> ClientAsync(string email) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read, ApiScopes.Write)).Token);
}
