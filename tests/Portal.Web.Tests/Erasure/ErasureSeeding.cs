using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Erasure;

/// <summary>Runs submitted by the given users on a dataset version the DPO then marks for erasure: their names appear in the erasure register.</summary>
public static class ErasureSeeding
{
    public static async Task RunsOnAMarkedVersionAsync(PortalAppFactory factory, IEnumerable<string> submitters)
    {
        (Guid Id, int Version) dataset = default;
        foreach (var email in submitters)
        {
            var client = await BrowserSession.SignInAsync(factory, email);
            dataset = await client.UploadLoansAsync("erasure-register", 200, 5);
            await client.SubmitLoanRunAsync(dataset, "erasure-register", "FastTree");
        }

        Guid versionId;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            versionId = (await db.DatasetVersions.Where(v => v.DatasetId == new Portal.Domain.Datasets.DatasetId(dataset.Id) && v.Version == dataset.Version)
                .Select(v => v.Id).FirstAsync()).Value;
        }

        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        var marked = await dpo.PostAsJsonAsync("/api/erasure/requests", new { datasetVersionId = versionId, reason = "register seeding" });
        Assert.Equal(HttpStatusCode.Created, marked.StatusCode);
    }
}
