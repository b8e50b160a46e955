using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Datasets;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Datasets;

/// <summary>Dataset uploads on SQLite.</summary>
public sealed class DatasetApiTests(PortalAppFactory factory) : DatasetApiTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>Dataset uploads on a private PostgreSQL server: versioning, refusals that store nothing, the audit entry.</summary>
public sealed class PostgresDatasetApiTests(PostgresAppFactory factory) : DatasetApiTestsBase(factory), IClassFixture<PostgresAppFactory>;

public abstract class DatasetApiTestsBase(PortalAppFactory factory)
{
    private const string Customers = """
        customer_id,email,age,plan,monthly_spend,churned
        1,ann@example.com,34,basic,20.5,no
        2,bob@example.org,45,premium,99.9,no
        3,cy@example.net,23,basic,15.0,yes
        4,dee@example.com,51,premium,120.0,no
        5,ed@example.com,38,basic,22.0,yes
        6,flo@example.com,29,standard,45.5,no
        """;

    [Fact]
    public async Task UploadAnswersWithVersionHashRowsAndInferredColumns()
    {
        var client = await ScientistAsync();

        var response = await client.UploadCsvAsync("customers-a", Customers);
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Customers))), body.GetProperty("sha256").GetString());
        Assert.Equal(6, body.GetProperty("rows").GetInt64());
        var columns = body.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        Assert.Equal("numeric", columns["age"].GetProperty("type").GetString());
        Assert.Equal("boolean", columns["churned"].GetProperty("type").GetString());
        Assert.True(columns["email"].GetProperty("personalDataSuspected").GetBoolean());
        Assert.All(columns.Values, c => Assert.Equal("Unclassified", c.GetProperty("classification").GetString()));
    }

    [Fact]
    public async Task IdenticalContentReturnsTheExistingVersionAndChangedContentTheNext()
    {
        var client = await ScientistAsync();
        await client.UploadCsvAsync("customers-b", Customers);

        var same = await client.UploadCsvAsync("customers-b", Customers);
        var changed = await client.UploadCsvAsync("customers-b", Customers.Replace("monthly_spend", "monthly_spend_eur") + "\n7,gus@example.com,40,basic,10.0,no");
        var changedBody = await changed.JsonAsync();
        var id = changedBody.GetProperty("datasetId").GetGuid();
        var diff = await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}/diff?from=1&to=2");

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(1, (await same.JsonAsync()).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        Assert.Equal(2, changedBody.GetProperty("version").GetInt32());
        Assert.Equal("monthly_spend_eur", diff.GetProperty("added")[0].GetProperty("name").GetString());
        Assert.Equal("monthly_spend", diff.GetProperty("removed")[0].GetProperty("name").GetString());
        Assert.True(diff.GetProperty("isBreaking").GetBoolean());
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,\"4\n", "line 3")]
    [InlineData("a,b\n1,2,3\n", "line 2")]
    [InlineData("a,a\n1,2\n", "must be unique")]
    [InlineData("a,,c\n1,2,3\n", "has no name")]
    [InlineData("a,b\n", "no data rows")]
    public async Task MalformedCsvIsRefusedWithTheReasonAndNothingIsStored(string csv, string expected)
    {
        var client = await ScientistAsync();
        var name = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var blobsBefore = BlobCount();

        var response = await client.UploadCsvAsync(name, csv);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, detail);
        await using (var db = await DbAsync())
        {
            Assert.False(await db.Datasets.AnyAsync(d => d.Name == name));
        }

        Assert.Equal(blobsBefore, BlobCount());
    }

    [Fact]
    public async Task EmptyFileMissingFileAndMissingNameAreRefused()
    {
        var client = await ScientistAsync();

        var empty = await client.UploadAsync("empty", []);
        var noName = await client.UploadAsync(null, Encoding.UTF8.GetBytes(Customers));
        using var form = new MultipartFormDataContent { { new StringContent("x"), "name" } };
        var noFile = await client.PostAsync("/api/datasets", form);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", (await empty.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Contains("'file' part is missing", (await noFile.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ManagersReadDatasetsButCannotUpload()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);

        var upload = await client.UploadCsvAsync("manager-data", Customers);
        var list = await client.GetAsync("/api/datasets");

        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task UploadIsAuditedWithTheSuspectedPersonalColumns()
    {
        var client = await ScientistAsync();

        var body = await (await client.UploadCsvAsync("customers-audit", Customers)).JsonAsync();

        await using var db = await DbAsync();
        var versionId = body.GetProperty("versionId").GetGuid().ToString();
        var details = Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditActions.DatasetUploaded.Name && a.SubjectId == versionId)
            .Select(a => a.DetailsJson).ToListAsync());
        Assert.Contains("\"email\"", details);
        Assert.Contains(body.GetProperty("sha256").GetString()!, details);
        // The entry joined the hash chain intact: what the provider stored (text, timestamps) reads back as it was hashed.
        var dpo = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Dpo, ApiScopes.Read);
        var verify = await TokenFactory.ClientWith(factory, dpo.Token).GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
    }

    private async Task<HttpClient> ScientistAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(factory, token.Token);
    }

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private int BlobCount()
    {
        var folder = Path.Combine(factory.DataDirectory, "artifacts", "sha256");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length : 0;
    }
}
