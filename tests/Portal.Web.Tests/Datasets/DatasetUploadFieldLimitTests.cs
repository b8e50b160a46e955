using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Datasets;

[CollectionDefinition(nameof(MeasuresProcessMemory), DisableParallelization = true)]
public sealed class MeasuresProcessMemory;

/// <summary>
/// A huge non-file part (a 50 MB 'name') is refused after its first few kilobytes, never read into memory: a few
/// parallel requests like it must not be able to exhaust the server. Runs alone, as it measures the whole process.
/// </summary>
[Collection(nameof(MeasuresProcessMemory))]
public sealed class DatasetUploadFieldLimitTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private const long PartSize = 50L * 1024 * 1024;

    [Fact]
    public async Task AFiftyMegabyteNamePartIsRefusedQuicklyWithoutBeingReadIntoMemory()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);
        using var warmUp = await client.GetAsync("/api/datasets");
        using var form = new MultipartFormDataContent
        {
            { new StreamContent(new GeneratedStream(PartSize, (byte)'n')), "name" },
        };
        var file = new StringContent("a,b\n1,2\n");
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "small.csv");

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync("/api/datasets", form);
        var elapsed = clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'name' part is larger than 4 KB", (await response.JsonAsync()).GetProperty("detail").GetString());
        // Reading the part whole would allocate at least twice its size (UTF-16 text); a capped read, a few buffers.
        Assert.True(allocated < PartSize / 4, $"The request allocated {allocated / (1024 * 1024)} MB for a {PartSize / (1024 * 1024)} MB part.");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"Refusing took {elapsed.TotalSeconds:0.0} s.");
    }
}
