using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Web.Features.Users;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Registry;

/// <summary>
/// Tiny real ML.NET models, trained here: SDCA logistic regression over a generated CSV read by a TextLoader, saved with
/// their input schema as MLContext.Model.Save does, so the registry reads a true signature from them.
/// </summary>
public static class TinyModels
{
    private static readonly Lazy<byte[]> ThreeFeatures = new(() => Train(["income", "debt", "age"]));
    private static readonly Lazy<byte[]> WithoutAge = new(() => Train(["income", "debt"]));

    /// <summary>A model reading income, debt and age (Single each).</summary>
    public static byte[] Full => ThreeFeatures.Value;

    /// <summary>The same task without the age column: a challenger that drops a feature the champion reads.</summary>
    public static byte[] MissingAge => WithoutAge.Value;

    private static byte[] Train(string[] features)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tiny-model-{Guid.NewGuid():N}.csv");
        var random = new Random(7);
        var lines = new List<string> { string.Join(',', features.Append("label")) };
        for (var i = 0; i < 200; i++)
        {
            var values = features.Select(_ => random.NextDouble() * 10).ToArray();
            var label = values.Sum() + random.NextDouble() * 2 > 5 * features.Length + 1;
            lines.Add(string.Join(',', values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)).Append(label ? "true" : "false")));
        }

        File.WriteAllLines(path, lines);
        try
        {
            var ml = new MLContext(seed: 1);
            var columns = features.Select((f, i) => new TextLoader.Column(f, DataKind.Single, i))
                .Append(new TextLoader.Column("label", DataKind.Boolean, features.Length)).ToArray();
            var data = ml.Data.LoadFromTextFile(path, columns, separatorChar: ',', hasHeader: true);
            var pipeline = ml.Transforms.Concatenate("Features", features)
                .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression("label", "Features", maximumNumberOfIterations: 10));
            var model = pipeline.Fit(data);
            using var zip = new MemoryStream();
            ml.Model.Save(model, data.Schema, zip);
            return zip.ToArray();
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>Drives the registry through its API the way a data scientist, a manager and the worker would, for one app.</summary>
public sealed class RegistryDriver(PortalAppFactory factory)
{
    private readonly Dictionary<string, HttpClient> clients = [];

    public Task<HttpClient> ScientistAsync() => ClientAsync(DemoAccounts.Scientist);

    public Task<HttpClient> ManagerAsync() => ClientAsync(DemoAccounts.Manager);

    public Task<HttpClient> DpoAsync() => ClientAsync(DemoAccounts.Dpo);

    public Task<HttpClient> AdminAsync() => ClientAsync(DemoAccounts.Admin);

    /// <summary>A read-write API client of <paramref name="email"/> (a bearer token; one per user).</summary>
    public async Task<HttpClient> ClientAsync(string email)
    {
        if (!clients.TryGetValue(email, out var client))
        {
            var token = await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read, ApiScopes.Write);
            client = TokenFactory.ClientWith(factory, token.Token);
            clients[email] = client;
        }

        return client;
    }

    /// <summary>A new user with these roles; returns their email.</summary>
    public async Task<string> NewUserAsync(string prefix, params string[] roles)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 40)] + "@portal.local";
        var created = await factory.Services.GetRequiredService<UserAdministrationService>()
            .CreateAsync(new CreateUserRequest(email, prefix, PortalAppFactory.DemoPassword, roles), AuditActor.Service("registry-tests"), CancellationToken.None);
        Assert.True(created.Succeeded, created.Error);
        return email;
    }

    /// <summary>An external run of the caller that succeeded with <paramref name="modelZip"/> attached as its model file.</summary>
    public static async Task<Guid> SucceededRunAsync(HttpClient submitter, byte[]? modelZip = null)
    {
        var started = await submitter.PostAsJsonAsync("/api/runs", new { experiment = "registry-tests", mode = "external", labelColumn = "label", task = "binary" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.JsonAsync()).GetProperty("runId").GetGuid();
        var file = new ByteArrayContent(modelZip ?? TinyModels.Full);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var attached = await submitter.PostAsync($"/api/runs/{runId}/artifact", file);
        Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        var ended = await submitter.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        return runId;
    }

    public static async Task<string> CreateModelAsync(HttpClient scientist, string prefix = "model")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        var created = await scientist.PostAsJsonAsync("/api/models", new { name, description = "registry test model", riskTier = "Low" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return name;
    }

    public static async Task<int> RegisterAsync(HttpClient scientist, string model, Guid runId)
    {
        var registered = await scientist.PostAsJsonAsync($"/api/models/{model}/versions", new { runId });
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        return (await registered.JsonAsync()).GetProperty("version").GetInt32();
    }

    /// <summary>A model with <paramref name="versions"/> versions, each from its own succeeded run of <paramref name="scientist"/>.</summary>
    public static async Task<string> ModelWithVersionsAsync(HttpClient scientist, int versions, string prefix = "model")
    {
        var name = await CreateModelAsync(scientist, prefix);
        for (var i = 0; i < versions; i++)
        {
            await RegisterAsync(scientist, name, await SucceededRunAsync(scientist));
        }

        return name;
    }

    public static async Task<Guid> RequestAsync(HttpClient requester, string model, int version, string targetStage = "Production")
    {
        var requested = await requester.PostAsJsonAsync("/api/promotions", new { model, version, targetStage, justification = $"version {version} is better" });
        Assert.True(requested.StatusCode == HttpStatusCode.Accepted, await requested.Content.ReadAsStringAsync());
        return (await requested.JsonAsync()).GetProperty("requestId").GetGuid();
    }

    /// <summary>Every hard gate passed, or <paramref name="verdicts"/> where given.</summary>
    public static List<GateResult> Gates(params (PromotionGate Gate, GateVerdict Verdict, string Reason)[] verdicts) =>
        Enum.GetValues<PromotionGate>().Where(g => g != PromotionGate.HumanApproval)
            .Select(g => verdicts.FirstOrDefault(v => v.Gate == g) is { Reason: not null } v
                ? new GateResult(g, v.Verdict, v.Reason)
                : new GateResult(g, GateVerdict.Passed, $"The {g} gate passed."))
            .ToList();

    /// <summary>Stands in for the worker: completes the request's evaluation with these gates and a small evidence record; returns the evidence hash.</summary>
    public async Task<string> EvaluateAsync(Guid requestId, IReadOnlyList<GateResult>? gates = null, string? note = null, object? evaluation = null)
    {
        var id = new PromotionRequestId(requestId);
        ModelVersionId? champion;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var modelId = await db.PromotionRequests.Where(r => r.Id == id).Select(r => r.ModelId).SingleAsync();
            champion = await db.ModelVersions.Where(v => v.ModelId == modelId && v.Stage == ModelStage.Production).Select(v => (ModelVersionId?)v.Id).SingleOrDefaultAsync();
        }

        var evidence = JsonSerializer.Serialize(new
        {
            requestId,
            quality = new { metric = "accuracy", challenger = 0.91, champion = champion is null ? (double?)null : 0.88, note = note ?? "same rows" },
            rows = 200,
            evaluation,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } });
        var done = await factory.Services.GetRequiredService<PromotionWorkflow>()
            .CompleteEvaluationAsync(id, gates ?? Gates(), evidence, champion, AuditActor.Service("worker"), CancellationToken.None);
        Assert.True(done.Succeeded, done.Error);
        return EvidenceHash.ComputeFromJson(evidence);
    }

    public static async Task<JsonElement> PromotionAsync(HttpClient client, Guid requestId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/promotions/{requestId}");

    public static Task<HttpResponseMessage> ApproveAsync(HttpClient manager, Guid requestId, string? evidenceHash, string comment = "convincing evidence") =>
        manager.PostAsJsonAsync($"/api/promotions/{requestId}/approve", new { comment, evidenceHash });

    public async Task<PortalDbContext> DbAsync() =>
        await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    /// <summary>The audit rows of an action about a promotion request.</summary>
    public async Task<List<AuditEntry>> AuditAsync(AuditAction action, Guid requestId)
    {
        await using var db = await DbAsync();
        var subject = AuditSubject.PromotionRequest(new PromotionRequestId(requestId));
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action.Name && a.SubjectType == subject.Type && a.SubjectId == subject.Id).ToListAsync();
    }
}
