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
/// The log-batch write path stores rows the rest of the app reads: on SQLite one json_each INSERT outside the change
/// tracker, on PostgreSQL a multi-row INSERT (<see cref="PostgresLogBatchApiTests"/> runs the same tests on a real server).
/// </summary>
public sealed class LogBatchApiTests(PortalAppFactory factory) : LogBatchApiTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>The same log-batch tests on a private PostgreSQL server (migrations, demo seeding, tokens and the batch insert on Npgsql).</summary>
public sealed class PostgresLogBatchApiTests(PostgresAppFactory factory) : LogBatchApiTestsBase(factory), IClassFixture<PostgresAppFactory>
{
    [Fact]
    public async Task TheAppRunsOnTheMigratedPostgreSqlDatabase()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.True(await db.Users.AnyAsync(), "the demo users are seeded");
    }
}

public abstract class LogBatchApiTestsBase(PortalAppFactory factory)
{
    [Fact]
    public async Task LoggedBatchReadsBackAsCurvesLatestMetricsParamsAndTags()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalRunAsync(client);
        var metrics = Enumerable.Range(0, 250).Select(i => new { key = i % 2 == 0 ? "train/loss" : "Accuracy", value = i / 1000.0, step = (long)(i / 2), timestamp = 1_767_225_600_000L + i });

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new
        {
            metrics,
            @params = new[] { new { key = "learningRate", value = "0.1" } },
            tags = new[] { new { key = "team", value = "risk" } },
        });
        var curves = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics");
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(252, (await response.JsonAsync()).GetProperty("logged").GetInt32());
        Assert.Equal(125, curves.GetProperty("train/loss").GetArrayLength());
        Assert.Equal(124, curves.GetProperty("Accuracy")[124].GetProperty("step").GetInt64());
        Assert.Equal(0.249, run.GetProperty("metrics").GetProperty("Accuracy").GetDouble(), 6);
        Assert.Equal("0.1", run.GetProperty("params").GetProperty("learningRate").GetString());
        Assert.Equal("risk", run.GetProperty("tags").GetProperty("team").GetString());
    }

    [Fact]
    public async Task LoggedValuesKeysAndTimestampsReadBackExactly()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalRunAsync(client);
        // (-0.0 is left out: SQLite itself stores an integral REAL as an integer, so it reads back as 0 on any write path.
        // PostgreSQL's double precision keeps it, but the test is the same for both providers.)
        double[] values = [0.1 + 0.2, 1.0 / 3, double.MaxValue, double.Epsilon, -1e-300, 123456789.123456789, 2.0, 5e-324 * 3, -7.5e18];
        var timestamp = 1_767_225_600_123L;

        var response = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new
        {
            metrics = values.Select((v, i) => new { key = "Verlust/ü größe", value = v, step = (long)i, timestamp = timestamp + i }),
        });
        await using var scope = factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var stored = await db.RunMetrics.Where(m => m.RunId == new RunId(runId)).OrderBy(m => m.Step).ToListAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), stored.Select(m => BitConverter.DoubleToInt64Bits(m.Value)));
        Assert.All(stored, m => Assert.Equal("Verlust/ü größe", m.Key));
        Assert.Equal(
            values.Select((_, i) => DateTimeOffset.FromUnixTimeMilliseconds(timestamp + i).UtcDateTime),
            stored.Select(m => DateTime.SpecifyKind(m.TimestampUtc, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task BatchWithAChangedParamIsRefusedAndStoresNoMetrics()
    {
        var client = await ScientistAsync();
        var runId = await StartExternalRunAsync(client);
        await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { @params = new[] { new { key = "seed", value = "1" } } });

        var refused = await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new
        {
            metrics = new[] { new { key = "loss", value = 1.0, step = 0L } },
            @params = new[] { new { key = "seed", value = "2" } },
        });
        var curves = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/metrics");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(curves.TryGetProperty("loss", out _));
    }

    private static async Task<Guid> StartExternalRunAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment = "log-batch-tests", mode = "external" });
        return (await created.JsonAsync()).GetProperty("runId").GetGuid();
    }

    private async Task<HttpClient> ScientistAsync()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        return TokenFactory.ClientWith(factory, token.Token);
    }
}
