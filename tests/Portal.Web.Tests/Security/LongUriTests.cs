using System.Net;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Security;

/// <summary>
/// A request whose address is too long is refused like any other bad input: 414 with a problem body naming the limit,
/// on real Kestrel, whose own 8 KB refusal had an empty body.
/// </summary>
public sealed class LongUriTests(LongUriTests.Server factory) : IClassFixture<LongUriTests.Server>
{
    [Theory]
    [InlineData(9_000)] // over the portal's 8 KB limit and over Kestrel's default line limit, which answered an empty 414
    [InlineData(40_000)]
    public async Task ALongApiQueryIsRefused414WithAProblemNamingTheLimit(int length)
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist);

        var response = await client.GetAsync($"/api/datasets?search={new string('q', length)}");

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("longer than 8192 characters", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnAddressUnderTheLimitIsServed()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist);

        var response = await client.GetAsync($"/api/datasets?search={new string('q', 7_000)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public sealed class Server() : KestrelAppFactory;
}
