using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Tracking;

/// <summary>
/// What log-batch and end refuse, and that an answer says what was stored: timestamps out of range, a param given two
/// values, a failed end without a reason, hostile text in values and reasons; metrics of an unknown run.
/// </summary>
public sealed class TrackingInputTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Theory]
    [InlineData(9223372036854775807L)]
    [InlineData(253402300800000L)]
    [InlineData(-1L)]
    public async Task ATimestampOutOfRangeIs400NamingTheFieldAndTheRangeAndStoresNothing(long timestamp)
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new
        {
            metrics = new[] { new { key = "loss", value = 0.5, step = 0L, timestamp = 1_767_225_600_000L }, new { key = "loss", value = 0.4, step = 1L, timestamp } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("metrics[1] ('loss'): timestamp must be Unix epoch milliseconds from 0", detail);
        Assert.Contains("253402300799999", detail);
        Assert.Equal(0, await MetricCountAsync(runId));
    }

    [Fact]
    public async Task TheLastMillisecondADateHoldsIsTaken()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics = new[] { new { key = "loss", value = 0.5, step = 0L, timestamp = 253402300799999L } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await MetricCountAsync(runId));
    }

    [Fact]
    public async Task ABatchGivingOneParamTwoValuesIsRefusedNamingTheParamAndStoresNothing()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new
        {
            metrics = new[] { new { key = "loss", value = 0.5, step = 0L } },
            @params = new[] { new { key = "depth", value = "3" }, new { key = "depth", value = "4" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("params[1] ('depth'): the batch gives this param two values ('3' at params[0], '4' here)",
            (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(0, await MetricCountAsync(runId));
        await using var db = await DbAsync();
        Assert.Equal(0, await db.RunParams.CountAsync(p => p.RunId == new RunId(runId)));
    }

    [Fact]
    public async Task RepeatedKeysCountOnceAndATagKeepsItsLastValue()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new
        {
            @params = new[] { new { key = "depth", value = "3" }, new { key = "depth", value = "3" } },
            tags = new[] { new { key = "stage", value = "draft" }, new { key = "stage", value = "final" } },
        });
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.JsonAsync()).GetProperty("logged").GetInt32());
        Assert.Equal("3", run.GetProperty("params").GetProperty("depth").GetString());
        Assert.Equal("final", run.GetProperty("tags").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task AParamLoggedEarlierWithAnotherValueIsRefusedNamingIt()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { @params = new[] { new { key = "depth", value = "3" } } })).StatusCode);

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { @params = new[] { new { key = "depth", value = "5" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Param 'depth' was already logged as '3'; params cannot change.", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task AFailedEndWithoutAReasonIsRefusedAndTheRunKeepsRunning(string? reason)
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Failed", reason });
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("reason is required when status is Failed", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal("Running", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AFailedEndKeepsItsReason()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Failed", reason = " CUDA out of memory at epoch 3 " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CUDA out of memory at epoch 3", (await response.JsonAsync()).GetProperty("failureReason").GetString());
    }

    [Theory]
    [InlineData("tags", "tags[0] ('team') value cannot contain")]
    [InlineData("params", "params[0] ('team') value cannot contain")]
    [InlineData("reason", "reason cannot contain")]
    public async Task HostileTextInValuesAndReasonsIsRefusedNamingTheField(string field, string expected)
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);
        const string hostile = "risk\u001b[2J\u202Eevil";

        var response = field == "reason"
            ? await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Failed", reason = hostile })
            : await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new Dictionary<string, object> { [field] = new[] { new { key = "team", value = hostile } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, (await response.JsonAsync()).GetProperty("detail").GetString());
        await using var db = await DbAsync();
        Assert.Equal(0, await db.RunParams.CountAsync(p => p.RunId == new RunId(runId)));
        Assert.Equal(RunStatus.Running, (await db.Runs.AsNoTracking().FirstAsync(r => r.Id == new RunId(runId))).Status);
    }

    [Fact]
    public async Task MetricsOfAnUnknownRunAre404AndOfARunWithoutMetricsEmpty()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalAsync(client);

        var unknown = await client.GetAsync($"/api/runs/{Guid.NewGuid()}/metrics");
        var empty = await client.GetAsync($"/api/runs/{runId}/metrics");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal("No such run.", (await unknown.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("{}", await empty.Content.ReadAsStringAsync());
    }

    private async Task<int> MetricCountAsync(Guid runId)
    {
        await using var db = await DbAsync();
        return await db.RunMetrics.CountAsync(m => m.RunId == new RunId(runId));
    }

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private async Task<HttpClient> ScientistAsync() =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write)).Token);

    private static async Task<Guid> StartExternalAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/runs", new { experiment = "tracking-input", mode = "external", task = "binary" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("runId").GetGuid();
    }
}
