using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Datasets;

/// <summary>
/// GET /api/datasets/{id}: the values of a column flagged as personal data (its frequent values) reach the DPO and
/// the dataset's owner only; every other reader sees its name, type and counts, and the unflagged columns in full.
/// </summary>
public sealed class PersonalDataValuesTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private const string Customers = """
        email,plan,churned
        ann@example.com,basic,no
        bob@example.org,premium,no
        cy@example.net,basic,yes
        dee@example.com,premium,no
        """;

    [Theory]
    [InlineData(DemoAccounts.Scientist, true)] // the owner: uploaded it
    [InlineData(DemoAccounts.Dpo, true)]
    [InlineData("scientist2@portal.local", false)]
    [InlineData(DemoAccounts.Manager, false)]
    public async Task FlaggedColumnValuesReachOnlyTheDpoAndTheOwner(string reader, bool seesValues)
    {
        var owner = await ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var uploaded = await (await owner.UploadCsvAsync($"pii-{Guid.NewGuid():N}"[..12], Customers)).JsonAsync();
        var client = await ClientAsync(reader, ApiScopes.Read);

        var body = await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{uploaded.GetProperty("datasetId").GetGuid()}");

        var profile = body.GetProperty("profile").EnumerateArray().ToDictionary(c => c.GetProperty("schema").GetProperty("name").GetString()!);
        var emails = profile["email"].GetProperty("topValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()).ToList();
        Assert.Equal(seesValues, emails.Contains("ann@example.com"));
        Assert.Equal(seesValues ? 4 : 0, emails.Count);
        Assert.Equal(!seesValues, body.GetProperty("personalValuesWithheld").GetBoolean());
        Assert.Equal(4, profile["email"].GetProperty("count").GetInt64()); // counts stay for everyone
        Assert.Contains("premium", profile["plan"].GetProperty("topValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        if (!seesValues)
        {
            Assert.DoesNotContain("@example.", body.GetRawText()); // nowhere in the answer, not only not in topValues
        }
    }

    [Fact]
    public async Task AnAdministratorReadsNoDatasetAtAll()
    {
        var owner = await ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var uploaded = await (await owner.UploadCsvAsync($"pii-{Guid.NewGuid():N}"[..12], Customers)).JsonAsync();
        var admin = await ClientAsync(DemoAccounts.Admin, ApiScopes.Read);

        var response = await admin.GetAsync($"/api/datasets/{uploaded.GetProperty("datasetId").GetGuid()}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<HttpClient> ClientAsync(string email, params string[] scopes) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, scopes)).Token);
}
