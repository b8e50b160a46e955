using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using Microsoft.Playwright;
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
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.Web.Features.Tokens;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Issue 12's live dashboard in a real browser: the manager finds a production model's health on the home page, opens its
/// monitoring dashboard, and a window the monitoring loop writes (here: the test, through its own DbContext with the live
/// event in the same save, as the loop does) appears in the accuracy chart and the drift heat map without a reload.
/// </summary>
public sealed class MonitoringDashboardJourneyTests(PortalBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<PortalBrowserFixture>
{
    private static readonly LocatorAssertionsToHaveCountOptions Live = new() { Timeout = 40_000 };

    private IServiceProvider Services => Fixture.App.Services;

    [Fact]
    public async Task AManagerSeesANewWindowInTheAccuracyChartAndHeatMapWithoutReload()
    {
        // Arrange: a model in production whose run recorded a validation accuracy of 0.86, with one quiet window.
        var (model, modelId, versionId) = await ChampionAsync();
        await WindowAsync(modelId, versionId, 1, 0.85, new FeatureDrift("tenure", FeatureKind.Numeric, DriftTest.Ks, 0.04, 0.6, 0.02, false));
        var page = await SignedInAsync(DemoAccounts.Manager);
        var row = page.Locator($"[data-testid=production-health-row][data-model='{model}']");
        await ExpectOnPageAsync(page, () => Expect(row.GetByTestId("health-chip")).ToHaveTextAsync("healthy"));
        await row.GetByTestId("production-health-link").ClickAsync();
        await ExpectOnPageAsync(page, async () =>
        {
            await Expect(page.GetByTestId("metric-point")).ToHaveCountAsync(1);
            await BlazorCircuit.WaitForInteractiveAsync(page, "[data-testid=kind-count]");
        });
        await page.EvaluateAsync("() => { window.portalNoReload = true; }");

        // Act: the loop closes a window in which tenure drifted and accuracy fell.
        var drifting = await WindowAsync(modelId, versionId, 2, 0.78, new FeatureDrift("tenure", FeatureKind.Numeric, DriftTest.Ks, 0.38, 1e-9, 0.47, true));

        // Assert: the chart has its second point and the heat map its drifted cell, on the same page (no reload).
        await ExpectOnPageAsync(page, async () =>
        {
            await Expect(page.GetByTestId("metric-point")).ToHaveCountAsync(2, Live);
            await Expect(page.Locator($"[data-testid=heatmap-cell][data-window='{drifting.Id}'][data-drifted=true]")).ToHaveCountAsync(1);
            await Expect(page.Locator($"[data-testid=metric-point][data-window='{drifting.Id}']")).ToHaveAttributeAsync("data-value", "0.78");
            await Expect(page.GetByTestId("health-chip")).ToHaveTextAsync("alert");
        });
        Assert.True(await page.EvaluateAsync<bool>("() => window.portalNoReload === true"), "the page was reloaded");
        Assert.Contains("tenure", await page.Locator($"[data-testid=heatmap-cell][data-window='{drifting.Id}'] title").TextContentAsync());
    }

    private static async Task ExpectOnPageAsync(IPage page, Func<Task> expectations)
    {
        try
        {
            await expectations();
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            throw new InvalidOperationException($"{page.Url}: {await page.Locator("body").InnerTextAsync()}", ex);
        }
    }

    private async Task<MonitoringWindow> WindowAsync(RegisteredModelId modelId, ModelVersionId versionId, int minute, double accuracy, FeatureDrift drift)
    {
        var now = DateTimeOffset.UtcNow;
        var end = new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc).AddMinutes(minute);
        var window = MonitoringWindow.Record(MonitoringWindowId.New(now), modelId, versionId, 1, WindowKind.Time, end.AddMinutes(-1), end, 400, 0,
            [new("true", 100), new("false", 300)], new DriftReport(3000, 400, [drift]), new WindowQuality(400, 0, [new("tenure", 0, 3, 0)]),
            $"accuracy {accuracy} on 300 labels", now);
        window.UpdateLabels(300, accuracy, null, now);
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.MonitoringWindows.Add(window);
        db.Publish(new MonitoringChanged(LiveTopics.Monitoring(modelId), modelId, window.Id, 1, WindowKind.Time, window.EndUtc, 400, accuracy, null,
            window.DriftedFeatures, window.Summary), now);
        await db.SaveChangesAsync();
        return window;
    }

    /// <summary>A model whose version 1 (an external run with a real ML.NET model and a logged accuracy) is in Production.</summary>
    private async Task<(string Name, RegisteredModelId Id, ModelVersionId VersionId)> ChampionAsync()
    {
        var name = $"mon-{Guid.NewGuid():N}"[..12];
        AuditActor scientist;
        string token;
        await using (var scope = Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(DemoAccounts.Scientist);
            scientist = AuditActor.User(user!.Id, DemoAccounts.Scientist);
            var created = await Services.GetRequiredService<TokenService>()
                .CreateAsync(user.Id, new CreateTokenRequest("monitoring journey", [ApiScopes.Read, ApiScopes.Write], 1), scientist, default);
            Assert.True(created.Succeeded, created.Error);
            token = created.Value!.Token;
        }

        using var client = new HttpClient { BaseAddress = Fixture.App.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = await client.PostAsJsonAsync("api/runs", new { experiment = $"{name}-exp", mode = "external", task = "binary", labelColumn = "Label" });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var file = new ByteArrayContent(TinyModel());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        Assert.True((await client.PostAsync($"api/runs/{runId}/artifact", file)).IsSuccessStatusCode);
        Assert.True((await client.PostAsJsonAsync($"api/runs/{runId}/log-batch", new { metrics = new[] { new { key = "accuracy", value = 0.86, step = 0L } } })).IsSuccessStatusCode);
        Assert.True((await client.PostAsJsonAsync($"api/runs/{runId}/end", new { status = "Succeeded" })).IsSuccessStatusCode);

        var registry = Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModel(name, "Which customers leave within the quarter."), scientist, [Roles.DataScientist], default)).Succeeded);
        var registered = await registry.RegisterVersionAsync(name, new RunId(runId), scientist, default);
        Assert.True(registered.Succeeded, registered.Error);

        // Into Production as an approval puts it there (the governance journeys cover the approval itself).
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
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
