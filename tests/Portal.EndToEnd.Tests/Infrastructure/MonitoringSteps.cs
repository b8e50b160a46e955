using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Data.Live;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Tokens;

namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>What the monitoring journeys do through the app's own services: a model in production, and windows as the monitoring loop writes them.</summary>
public sealed class MonitoringSteps(IServiceProvider services, Uri baseAddress)
{
    /// <summary>Writes a closed window as the monitoring loop does: its own DbContext, the live event in the same save (unless <paramref name="publish"/> is false).</summary>
    public async Task<MonitoringWindow> WindowAsync(RegisteredModelId modelId, ModelVersionId versionId, int minute, double accuracy, IReadOnlyList<FeatureDrift> drift, bool publish = true)
    {
        var now = DateTimeOffset.UtcNow;
        var end = new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc).AddMinutes(minute);
        var window = MonitoringWindow.Record(MonitoringWindowId.New(now), modelId, versionId, 1, WindowKind.Time, end.AddMinutes(-1), end, 400, 0,
            [new("true", 100), new("false", 300)], new DriftReport(3000, 400, drift), new WindowQuality(400, 0, drift.Select(f => new FeatureQuality(f.Name, 0, 3, 0)).ToList()),
            $"accuracy {accuracy} on 300 labels", now);
        window.UpdateLabels(300, accuracy, null, now);
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.MonitoringWindows.Add(window);
        if (publish)
        {
            db.Publish(new MonitoringChanged(LiveTopics.Monitoring(modelId), modelId, window.Id, 1, WindowKind.Time, window.EndUtc, 400, accuracy, null,
                window.DriftedFeatures, window.Summary), now);
        }

        await db.SaveChangesAsync();
        return window;
    }

    /// <summary>A model whose version 1 (an external run with a real ML.NET model and a logged accuracy) is in Production.</summary>
    public async Task<(string Name, RegisteredModelId Id, ModelVersionId VersionId)> ChampionAsync()
    {
        var name = $"mon-{Guid.NewGuid():N}"[..12];
        AuditActor scientist;
        string token;
        await using (var scope = services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(DemoAccounts.Scientist);
            scientist = AuditActor.User(user!.Id, DemoAccounts.Scientist);
            var created = await services.GetRequiredService<TokenService>()
                .CreateAsync(user.Id, new CreateTokenRequest("monitoring journey", [ApiScopes.Read, ApiScopes.Write], 1), scientist, default);
            Assert.True(created.Succeeded, created.Error);
            token = created.Value!.Token;
        }

        using var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = await client.PostAsJsonAsync("api/runs", new { experiment = $"{name}-exp", mode = "external", task = "binary", labelColumn = "Label" });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var file = new ByteArrayContent(TinyModel());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        Assert.True((await client.PostAsync($"api/runs/{runId}/artifact", file)).IsSuccessStatusCode);
        Assert.True((await client.PostAsJsonAsync($"api/runs/{runId}/log-batch", new { metrics = new[] { new { key = "accuracy", value = 0.86, step = 0L } } })).IsSuccessStatusCode);
        Assert.True((await client.PostAsJsonAsync($"api/runs/{runId}/end", new { status = "Succeeded" })).IsSuccessStatusCode);

        var registry = services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModel(name, "Which customers leave within the quarter."), scientist, [Roles.DataScientist], default)).Succeeded);
        var registered = await registry.RegisterVersionAsync(name, new RunId(runId), scientist, default);
        Assert.True(registered.Succeeded, registered.Error);

        // Into Production as an approval puts it there (the governance journeys cover the approval itself).
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var model = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Name == name);
        var version = model.FindVersion(1)!;
        var applied = model.Apply(new PromotionTransition(PromotionRequestId.New(DateTimeOffset.UtcNow), model.Id, version.Id, ModelStage.Production,
            ["monitoring-journey"], "first champion", new string('a', 64), false), DateTimeOffset.UtcNow);
        Assert.True(applied.Succeeded);
        await db.SaveChangesAsync();
        return (name, model.Id, version.Id);
    }

    /// <summary>A real ML.NET binary classifier (two numeric inputs) saved with its input schema.</summary>
    private static byte[] TinyModel()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 60).Select(i => new Row { Tenure = i % 40, Charges = 20 + (37 * i % 80), Label = i % 3 == 0 }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Concatenate("Features", nameof(Row.Tenure), nameof(Row.Charges))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5)).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    private sealed class Row
    {
        public float Tenure { get; set; }

        public float Charges { get; set; }

        public bool Label { get; set; }
    }
}
