using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Security;

/// <summary>
/// Upload endpoints take bodies up to their configured limit, not the server's 30 MB default, and a body over it is
/// answered 413 problem+json naming the limit. Real Kestrel: the in-memory test server enforces no body limit.
/// </summary>
public sealed class BodyLimitTests(BodyLimitTests.SmallLimits factory) : IClassFixture<BodyLimitTests.SmallLimits>
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public async Task AnArtifactOverTheConfiguredLimitIsRefused413NamingTheLimitAndNotStored()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist);
        var runId = await StartExternalRunAsync(client);

        var response = await client.PostAsync($"/api/runs/{runId}/artifact", Body(3 * Megabyte));
        var run = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/runs/{runId}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("limit of 2 MB", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, run.GetProperty("modelSha256").ValueKind);
    }

    [Fact]
    public async Task AnArtifactUnderTheConfiguredLimitIsAccepted()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist);
        var runId = await StartExternalRunAsync(client);

        var response = await client.PostAsync($"/api/runs/{runId}/artifact", Body(3 * Megabyte / 2));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(3 * Megabyte)] // over the body limit (file limit + multipart framing): the server stops reading
    [InlineData(3 * Megabyte / 2)] // within the framing allowance but over the file limit: the store stops writing
    public async Task ADatasetOverTheConfiguredLimitIsRefused413NamingTheLimit(int size)
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist);
        using var form = new MultipartFormDataContent { { new StringContent("too-large"), "name" } };
        var file = new StreamContent(new GeneratedStream(size, (byte)'1'));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "big.csv");

        var response = await client.PostAsync("/api/datasets", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("limit of 1 MB", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(true)] // Content-Length over the limit: refused before reading
    [InlineData(false)] // chunked: refused once the bytes read pass the limit
    public async Task APredictBodyOverTheConfiguredLimitIsRefused413NamingTheLimit(bool declared)
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist, ApiScopes.Predict);
        var rows = string.Join(",", Enumerable.Repeat("""{"income":1,"debt":2,"age":3}""", 2 * Megabyte / 30));
        var json = Encoding.UTF8.GetBytes($$"""{"rows":[{{rows}}]}""");
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/models/any-model/predict") { Content = content };
        if (!declared)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("limit of 1 MB", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    internal static async Task<Guid> StartExternalRunAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment = "body-limits", mode = "external" });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("runId").GetGuid();
    }

    /// <summary>A generated body with its length declared, as a client uploading a file sends it.</summary>
    internal static StreamContent Body(long size)
    {
        var content = new StreamContent(new GeneratedStream(size));
        content.Headers.ContentLength = size;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    public sealed class SmallLimits() : KestrelAppFactory(("Runs:MaxArtifactMegabytes", "2"), ("Datasets:MaxUploadMegabytes", "1"), ("Serving:MaxRequestKilobytes", "1024"));
}

/// <summary>An artifact above Kestrel's 30 MB default but under the configured limit is taken: the server default is not what bites.</summary>
public sealed class LargeArtifactTests(LargeArtifactTests.LargeLimit factory) : IClassFixture<LargeArtifactTests.LargeLimit>
{
    [Fact]
    public async Task AnArtifactAboveTheServerDefaultButUnderTheConfiguredLimitIsAccepted()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist);
        var runId = await BodyLimitTests.StartExternalRunAsync(client);

        var response = await client.PostAsync($"/api/runs/{runId}/artifact", BodyLimitTests.Body(31L * 1024 * 1024));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public sealed class LargeLimit() : KestrelAppFactory(("Runs:MaxArtifactMegabytes", "40"));
}
