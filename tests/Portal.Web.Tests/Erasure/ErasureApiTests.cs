using System.Net;
using System.Net.Http.Json;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Erasure;

/// <summary>The erasure and purge endpoints on SQLite.</summary>
public sealed class ErasureApiTests(PortalAppFactory factory) : ErasureApiTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>The erasure and purge endpoints on a private PostgreSQL server.</summary>
public sealed class PostgresErasureApiTests(PostgresAppFactory factory) : ErasureApiTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>The erasure and purge endpoints as the DPO and others call them: what they find, what they refuse and why.</summary>
public abstract class ErasureApiTestsBase(PortalAppFactory factory)
{
    private const string Csv = "customer_id,amount,label\nK-100,5,1\nK-101,7,0\n=K-102,9,1\nK-103,3,0\n";

    [Fact]
    public async Task TheImpactOfACustomerNamesTheVersionAndTheExportCarriesTheHashNeverTheValue()
    {
        var scientist = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);
        var uploaded = await (await scientist.UploadCsvAsync("erasure-api-customers", Csv)).JsonAsync();
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);

        var response = await dpo.PostAsJsonAsync("/api/erasure/impact", new { column = "customer_id", value = " k-101" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        var version = Assert.Single(report.GetProperty("datasetVersions").EnumerateArray());
        Assert.Equal(uploaded.GetProperty("versionId").GetString(), version.GetProperty("versionId").GetString());
        var hash = report.GetProperty("keyHash").GetString()!;
        Assert.Equal(16, hash.Length);

        var csv = await dpo.GetStringAsync($"/api/erasure/report.csv?column=customer_id&keyHash={hash}");
        Assert.Contains("erasure-api-customers v1", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("101", csv, StringComparison.Ordinal);
        var html = await dpo.GetAsync($"/api/erasure/report.html?column=customer_id&keyHash={hash}");
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var audit = await (await BrowserSession.SignInAsync(factory, DemoAccounts.Admin)).GetStringAsync("/api/audit/export?action=erasure.report.exported");
        Assert.Contains(hash, audit, StringComparison.Ordinal);
        Assert.DoesNotContain("k-101", audit, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BadInputIsRefusedWithTheReason()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);

        var noValue = await dpo.PostAsJsonAsync("/api/erasure/impact", new { column = "customer_id" });
        var blank = await dpo.PostAsJsonAsync("/api/erasure/impact", new { column = "customer_id", value = "   " });
        var unknownVersion = await dpo.PostAsJsonAsync("/api/erasure/impact", new { datasetVersionId = Guid.NewGuid() });
        var badHash = await dpo.GetAsync("/api/erasure/report.csv?column=customer_id&keyHash=zz");
        var noReason = await dpo.PostAsJsonAsync("/api/erasure/requests", new { column = "customer_id", value = "K-100" });
        var unconfirmed = await dpo.PostAsJsonAsync($"/api/dataset-versions/{Guid.NewGuid()}/purge", new { reason = "retention passed" });
        var unknownPurge = await dpo.PostAsJsonAsync($"/api/dataset-versions/{Guid.NewGuid()}/purge", new { confirm = true, reason = "retention passed" });

        Assert.Equal(HttpStatusCode.BadRequest, noValue.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownVersion.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badHash.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("confirm must be true", (await unconfirmed.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownPurge.StatusCode);
    }

    [Fact]
    public async Task OnlyTheDpoAssessesMarksAndPurges()
    {
        var scientist = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);

        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.PostAsJsonAsync("/api/erasure/impact", new { column = "a", value = "b" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.PostAsJsonAsync("/api/erasure/requests", new { column = "a", value = "b", reason = "c" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.PostAsJsonAsync($"/api/dataset-versions/{Guid.NewGuid()}/purge", new { confirm = true, reason = "c" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scientist.GetAsync("/api/erasure/report.csv")).StatusCode);
    }

    [Fact]
    public async Task APurgedVersionCannotBeTrainedOn()
    {
        var scientist = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);
        var dataset = await scientist.UploadLoansAsync("erasure-api-purged", 200, 11);
        var versions = await (await scientist.GetAsync($"/api/datasets/{dataset.Id}/versions")).JsonAsync();
        var versionId = versions.EnumerateArray().First().GetProperty("versionId").GetString();
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);

        var purged = await dpo.PostAsJsonAsync($"/api/dataset-versions/{versionId}/purge", new { confirm = true, reason = "retention passed" });
        var again = await dpo.PostAsJsonAsync($"/api/dataset-versions/{versionId}/purge", new { confirm = true, reason = "retention passed" });
        var run = await scientist.PostAsJsonAsync("/api/runs", new
        {
            experiment = "purged", datasetId = dataset.Id, datasetVersion = dataset.Version, labelColumn = Portal.Ml.DemoData.LoanDefaultGenerator.Label, task = "binary",
            trainer = "FastTree", hyperparameters = new { }, validationFraction = 0.2, seed = 3,
        });

        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, run.StatusCode);
        Assert.Contains("purged", (await run.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
