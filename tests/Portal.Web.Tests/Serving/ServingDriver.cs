using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.Domain.Serving;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Serving;

/// <summary>Models with a champion (real tiny ML.NET models promoted through the registry API), predict clients and rollout rows.</summary>
public sealed class ServingDriver(PortalAppFactory factory)
{
    private readonly RegistryDriver registry = new(factory);

    public RegistryDriver Registry => registry;

    /// <summary>A model with <paramref name="versions"/> versions whose version 1 is in Production.</summary>
    public async Task<string> ModelWithChampionAsync(int versions = 1)
    {
        var scientist = await registry.ScientistAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, versions, "serving");
        await PromoteAsync(model, 1);
        return model;
    }

    public async Task PromoteAsync(string model, int version)
    {
        var request = await RegistryDriver.RequestAsync(await registry.ScientistAsync(), model, version);
        var hash = await registry.EvaluateAsync(request);
        var approved = await RegistryDriver.ApproveAsync(await registry.ManagerAsync(), request, hash);
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A model whose version 1 is the champion, with a rollout policy (<paramref name="policy"/>, by default 10 → 50 → 100 %) set
    /// by the manager, and version 2 approved: a rollout running at its first step.
    /// </summary>
    public async Task<(string Model, RolloutId Rollout)> RollingOutAsync(int versions = 2, object? policy = null)
    {
        var manager = await registry.ManagerAsync();
        var model = await ModelWithChampionAsync(versions);
        var set = await manager.PutAsJsonAsync($"/api/models/{model}/rollout-policy", policy ?? new { steps = new[] { 10, 50, 100 } });
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        var second = await RegistryDriver.RequestAsync(await registry.ScientistAsync(), model, 2);
        var approved = await RegistryDriver.ApproveAsync(manager, second, await registry.EvaluateAsync(second));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(1, (await approved.JsonAsync()).GetProperty("championVersion").GetInt32());
        var listed = await manager.GetFromJsonAsync<JsonElement>($"/api/rollouts?model={model}");
        return (model, new RolloutId(listed.GetProperty("items")[0].GetProperty("id").GetGuid()));
    }

    /// <summary>A client with a predict-scope token of the data scientist.</summary>
    public async Task<HttpClient> PredictClientAsync(PortalAppFactory app, string email = DemoAccounts.Scientist)
    {
        var token = await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Predict);
        return TokenFactory.ClientWith(app, token.Token);
    }

    public static Task<HttpResponseMessage> PredictAsync(HttpClient client, string model, object[] rows, string? routingKey = null) =>
        client.PostAsJsonAsync($"/api/models/{model}/predict", new { rows, routingKey });

    public static object Row(double income = 5, double debt = 2, double age = 4) => new { income, debt, age };

    /// <summary>
    /// An active rollout row, written straight into the database as the rollout driver would have left it (the rollout
    /// state machine lives elsewhere; serving only reads Id, model, canary version, state and share).
    /// </summary>
    public RolloutId InsertRollout(string model, int baseline, int canary, int percent)
    {
        var id = RolloutId.New(DateTimeOffset.UtcNow);
        using var connection = factory.OpenDatabase();
        string Scalar(string sql, params (string, object)[] parameters)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return (string)command.ExecuteScalar()!;
        }

        var modelId = Scalar("SELECT Id FROM RegisteredModels WHERE Name = $name", ("$name", model));
        var version = (int number) => Scalar("SELECT Id FROM ModelVersions WHERE ModelId = $model AND Number = $number", ("$model", modelId), ("$number", number));
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO Rollouts (Id, ModelId, BaselineVersionId, BaselineVersionNumber, CanaryVersionId, CanaryVersionNumber, TransitionJson, PolicyJson,
                State, StepIndex, CanaryPercent, StartedUtc, StepStartedUtc, Revision, VerdictsJson)
            VALUES ($id, $model, $baseline, $baselineNumber, $canary, $canaryNumber, '{}', '{}', 'Running', 0, $percent, $now, $now, 0, '[]')
            """;
        insert.Parameters.AddWithValue("$id", id.Value.ToString().ToUpperInvariant());
        insert.Parameters.AddWithValue("$model", modelId);
        insert.Parameters.AddWithValue("$baseline", version(baseline));
        insert.Parameters.AddWithValue("$baselineNumber", baseline);
        insert.Parameters.AddWithValue("$canary", version(canary));
        insert.Parameters.AddWithValue("$canaryNumber", canary);
        insert.Parameters.AddWithValue("$percent", percent);
        insert.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, insert.ExecuteNonQuery());
        return id;
    }

    /// <summary>The logged request <paramref name="batch"/> once the prediction log writer has written it.</summary>
    public async Task<PredictionBatch> LoggedAsync(PredictionBatchId batch)
    {
        PredictionBatch? logged = null;
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            logged = await db.PredictionBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batch);
            return logged is not null;
        }, $"predict request {batch} to be logged");
        return logged!;
    }

    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }
}
