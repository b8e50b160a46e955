using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Registry;
using Portal.Application.Rollouts;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.EndToEnd.Tests.TestData;
using Portal.Web.Features.Tokens;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Issue 11's "done when", in the browser over the real worker, the real predict and feedback endpoints and SignalR: the
/// manager approves a challenger and watches it take 10 %, then 50 %, then all of the traffic the test sends, each step's
/// verdict appearing without a reload; a worse challenger is rolled back by itself with the reason on the page and in the
/// audit trail; predictions with a missing or mistyped field are refused naming the field.
/// </summary>
public sealed class RolloutJourneyTests(TrainingBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<TrainingBrowserFixture>
{
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 120_000 };
    private static readonly LocatorAssertionsToContainTextOptions SlowContains = new() { Timeout = 120_000 };
    private static readonly LocatorAssertionsToHaveCountOptions SlowCount = new() { Timeout = 120_000 };

    // Small samples and short steps so the journey takes seconds per step; margins wide enough that an equal canary passes
    // on a few dozen labels, narrow enough that one that is wrong three times in four fails.
    private static readonly RolloutPolicy FastPolicy = new([10, 50, 100], 40, TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(10), 0.2, 0.2, 0.9);

    private IServiceProvider Services => Fixture.App.Services;

    private GovernanceSteps Steps => new(Services);

    [Fact]
    public async Task AnApprovedChallengerRollsOutInLiveStepsAndAWorseOneIsRolledBackByItself()
    {
        // Arrange: a champion, an equal challenger and one trained on inverted labels, all without the personal column.
        var scientist = await Steps.ActorAsync(DemoAccounts.Scientist);
        var manager2 = await Steps.ActorAsync(DemoAccounts.Manager2);
        var admin = await Steps.ActorAsync(DemoAccounts.Administrator);
        var officer = await Steps.ActorAsync(DemoAccounts.DataProtectionOfficer);
        var model = $"roll-{Guid.NewGuid():N}"[..13];
        var churn = Drop(new ChurnCsvBuilder().WithRows(3000).WithSeed(51).Build(), ChurnCsvBuilder.PersonalDataColumn);
        var data = await Steps.UploadAsync($"{model}-data", churn, scientist, officer);
        var inverted = await Steps.UploadAsync($"{model}-inverted", InvertLabel(churn), scientist, officer);
        var holdOut = await Steps.UploadAsync($"{model}-holdout",
            Drop(new ChurnCsvBuilder().WithRows(2000).WithSeed(52).Build(), ChurnCsvBuilder.PersonalDataColumn), scientist, officer);
        var championRun = await Steps.TrainAsync($"{model}-champion", data, scientist);
        var challengerRun = await Steps.TrainAsync($"{model}-challenger", data, scientist);
        var worseRun = await Steps.TrainAsync($"{model}-worse", inverted, scientist);
        await Steps.WaitForRunsAsync(championRun, challengerRun, worseRun);

        var registry = Services.GetRequiredService<ModelRegistry>();
        var workflow = Services.GetRequiredService<PromotionWorkflow>();
        Assert.True((await registry.CreateAsync(new CreateModel(model, "Which customers leave within the quarter."), scientist, [Roles.DataScientist], default)).Succeeded);
        Assert.True((await registry.DesignateHoldOutAsync(model, holdOut.DatasetId, holdOut.Version, scientist, [Roles.DataScientist], default)).Succeeded);
        Assert.True((await registry.RegisterVersionAsync(model, championRun, scientist, default)).Succeeded);
        Assert.True((await registry.RegisterVersionAsync(model, challengerRun, scientist, default)).Succeeded);
        Assert.True((await registry.RegisterVersionAsync(model, worseRun, scientist, default)).Succeeded);
        var first = (await workflow.RequestAsync(new RequestPromotion(model, 1, ModelStage.Production, "The first model."), scientist, [Roles.DataScientist], default)).Value!;
        var firstEvaluated = await Steps.EvaluatedAsync(first.Id);
        Assert.True((await workflow.ApproveAsync(first.Id, "First champion.", firstEvaluated.EvidenceSha256, manager2, [Roles.BusinessManager], default)).Succeeded);
        var modelId = await ModelIdAsync(model);
        var policySet = await Services.GetRequiredService<RolloutControl>().SetPolicyAsync(modelId, FastPolicy, manager2, [Roles.BusinessManager], default);
        Assert.True(policySet.Succeeded, policySet.Error);
        var second = (await workflow.RequestAsync(new RequestPromotion(model, 2, ModelStage.Production, "Retrained on this quarter."), scientist,
            [Roles.DataScientist], default)).Value!;
        Assert.Equal(PromotionStatus.Pending, (await Steps.EvaluatedAsync(second.Id)).Status);
        using var client = await PredictClientAsync();
        var signature = await SignatureAsync(modelId);

        // Act: the manager approves v2 in the browser and opens its rollout while the test sends traffic with ground truth.
        var managerPage = await SignedInAsync(DemoAccounts.Manager);
        await managerPage.GotoAsync($"promotions/{second.Id}");
        await ExpectOnPageAsync(managerPage, () => BlazorCircuit.WaitForInteractiveAsync(managerPage, "[data-testid=approve]"));
        await managerPage.GetByTestId("approve").ClickAsync();
        await managerPage.GetByTestId("decision-submit").ClickAsync();
        await Expect(managerPage.GetByTestId("promotion-status")).ToContainTextAsync("Approved", SlowContains);
        var rolloutId = await Steps.RolloutAsync(model, 2, TimeSpan.FromMinutes(1));
        await managerPage.GotoAsync($"rollouts/{rolloutId}");
        await Expect(managerPage.GetByTestId("canary-share")).ToHaveTextAsync("10 %");

        await using (var traffic = new Traffic(client, model, signature, seed: 61))
        {
            // Assert: each step's verdict appears without a reload, the split moves to 50 % and the rollout completes.
            await ExpectOnPageAsync(managerPage, async () =>
            {
                await Expect(managerPage.GetByTestId("verdict")).ToHaveCountAsync(1, SlowCount);
                await Expect(managerPage.GetByTestId("verdict-outcome").First).ToContainTextAsync("passed");
                await Expect(managerPage.GetByTestId("canary-share")).ToHaveTextAsync("50 %", Slow);
                await Expect(managerPage.GetByTestId("rollout-state")).ToHaveTextAsync("completed", Slow);
                // Two analysed steps (10 % and 50 %); reaching 100 % is the promotion itself.
                await Expect(managerPage.GetByTestId("verdict")).ToHaveCountAsync(2);
            }, traffic.Describe);
            Assert.True(traffic.RowsSent > 0 && traffic.LabelsRecorded > 0, traffic.Describe());
        }

        await managerPage.GotoAsync($"models/{model}");
        await ExpectOnPageAsync(managerPage, () => Expect(managerPage.GetByTestId("champion-card")).ToContainTextAsync("Version 2 · in Production since", SlowContains));

        // The worse challenger: its failed quality gate overridden by an administrator, approved, then rolled back by itself.
        var third = (await workflow.RequestAsync(new RequestPromotion(model, 3, ModelStage.Production, "A bolder model."), scientist,
            [Roles.DataScientist], default)).Value!;
        var thirdEvaluated = await Steps.EvaluatedAsync(third.Id);
        if (thirdEvaluated.Status == PromotionStatus.Blocked)
        {
            var overridden = await workflow.OverrideAsync(third.Id, "Trying it on live traffic; the rollout will judge it.", admin, [Roles.Administrator], default);
            Assert.True(overridden.Succeeded, overridden.Error);
        }

        var approved = await workflow.ApproveAsync(third.Id, "Let the canary decide.", thirdEvaluated.EvidenceSha256, manager2, [Roles.BusinessManager], default);
        Assert.True(approved.Succeeded, approved.Error);
        var worseRollout = await Steps.RolloutAsync(model, 3, TimeSpan.FromMinutes(1));
        await managerPage.GotoAsync($"rollouts/{worseRollout}");
        await using (new Traffic(client, model, signature, seed: 62))
        {
            await ExpectOnPageAsync(managerPage, async () =>
            {
                await Expect(managerPage.GetByTestId("rollout-state")).ToHaveTextAsync("rolled back", Slow);
                await Expect(managerPage.GetByTestId("rollout-reason")).ToContainTextAsync("inferior");
                await Expect(managerPage.GetByTestId("verdict-outcome").First).ToContainTextAsync("failed");
            });
        }

        var rolledBack = await Steps.AuditAsync(AuditActions.RolloutRolledBack.Name, worseRollout.ToString());
        Assert.Contains(rolledBack, d => d.Contains("inferior", StringComparison.Ordinal));
        Assert.Equal(2, await ProductionVersionAsync(modelId));

        // Predictions with a missing or a mistyped field are refused, naming it.
        var missing = (JsonObject)Row(signature, new ChurnRow(12, 70, 2, "monthly", true)).DeepClone();
        missing.Remove("tenure_months");
        var mistyped = Row(signature, new ChurnRow(12, 70, 2, "monthly", true));
        mistyped["monthly_charges"] = "seventy";
        foreach (var (row, field) in new[] { (missing, "tenure_months"), (mistyped, "monthly_charges") })
        {
            using var refused = await client.PostAsJsonAsync($"api/models/{model}/predict", new { rows = new[] { row } });
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{refused.StatusCode}: {body}");
            Assert.Contains(field, body, StringComparison.Ordinal);
        }
    }

    private async Task<HttpClient> PredictClientAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(DemoAccounts.Manager2);
        var created = await Services.GetRequiredService<TokenService>()
            .CreateAsync(user!.Id, new CreateTokenRequest("rollout journey", [ApiScopes.Predict], 1), AuditActor.User(user.Id, DemoAccounts.Manager2), default);
        Assert.True(created.Succeeded, created.Error);
        var client = new HttpClient { BaseAddress = Fixture.App.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.Token);
        return client;
    }

    private async Task<RegisteredModelId> ModelIdAsync(string model)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.RegisteredModels.Where(m => m.Name == model).Select(m => m.Id).SingleAsync();
    }

    private async Task<IReadOnlyList<InputFeature>> SignatureAsync(RegisteredModelId modelId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.ModelVersions.Where(v => v.ModelId == modelId && v.Number == 1).Select(v => v.InputSignature).SingleAsync();
    }

    private async Task<int?> ProductionVersionAsync(RegisteredModelId modelId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.ModelVersions.Where(v => v.ModelId == modelId && v.Stage == ModelStage.Production).Select(v => (int?)v.Number).SingleOrDefaultAsync();
    }

    private static byte[] Drop(byte[] csv, string column)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var drop = Array.IndexOf(lines[0].Split(','), column);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != drop)))) + "\n");
    }

    /// <summary>The same table with the label flipped on every row: a model trained on it is wrong where the champion is right.</summary>
    private static byte[] InvertLabel(byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var label = Array.IndexOf(lines[0].Split(','), ChurnCsvBuilder.Label);
        return Encoding.UTF8.GetBytes(lines[0] + "\n" + string.Join('\n', lines.Skip(1).Select(l =>
            string.Join(',', l.Split(',').Select((cell, i) => i != label ? cell : cell == "true" ? "false" : "true")))) + "\n");
    }

    private sealed record ChurnRow(int Tenure, double Charges, int Calls, string Contract, bool Paperless);

    /// <summary>One row typed as the model's signature says: numbers as JSON numbers, booleans as booleans, the rest as text.</summary>
    private static JsonObject Row(IReadOnlyList<InputFeature> signature, ChurnRow row)
    {
        var values = new Dictionary<string, object>
        {
            ["tenure_months"] = row.Tenure, ["monthly_charges"] = row.Charges, ["support_calls"] = row.Calls,
            ["contract"] = row.Contract, ["paperless_billing"] = row.Paperless,
        };
        var json = new JsonObject();
        foreach (var feature in signature)
        {
            var value = values[feature.Name];
            json[feature.Name] = feature.Type switch
            {
                "Single" or "Double" or "Int32" or "Int64" => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                "Boolean" => JsonValue.Create((bool)value),
                _ => JsonValue.Create(value is bool b ? (b ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture)),
            };
        }

        return json;
    }

    /// <summary>
    /// Customers calling the predict endpoint (each with their own routing key, several rows a request) and their true
    /// outcomes posted as feedback right after, until disposed; drawn from the same process as the training data.
    /// </summary>
    private sealed class Traffic : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;
        private string? lastProblem;

        public Traffic(HttpClient client, string model, IReadOnlyList<InputFeature> signature, int seed) =>
            loop = Task.Run(() => RunAsync(client, model, signature, seed, stop.Token));

        public int RowsSent { get; private set; }

        public int LabelsRecorded { get; private set; }

        public string Describe() => $"{RowsSent} rows sent, {LabelsRecorded} labels recorded; last problem: {lastProblem ?? "none"}";

        private async Task RunAsync(HttpClient client, string model, IReadOnlyList<InputFeature> signature, int seed, CancellationToken cancellationToken)
        {
            var random = new Random(seed);
            var contracts = new[] { "monthly", "one_year", "two_year" };
            object[] pending = [];
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var requests = Enumerable.Range(0, 10).Select(_ =>
                    {
                        var rows = Enumerable.Range(0, 5).Select(_ =>
                        {
                            var row = new ChurnRow(random.Next(1, 73), Math.Round(20 + (random.NextDouble() * 100), 2), random.Next(0, 8), contracts[random.Next(3)],
                                random.NextDouble() < 0.6);
                            var score = -0.5 - (0.04 * row.Tenure) + (0.02 * (row.Charges - 60)) + (0.45 * row.Calls)
                                        - (1.2 * Array.IndexOf(contracts, row.Contract)) + (row.Paperless ? 0.3 : 0);
                            return (Json: Row(signature, row), Churned: random.NextDouble() < 1 / (1 + Math.Exp(-score)));
                        }).ToList();
                        return (Key: $"customer-{random.Next(1000)}", Rows: rows);
                    }).ToList();
                    var answers = await Task.WhenAll(requests.Select(async request =>
                    {
                        using var response = await client.PostAsJsonAsync($"api/models/{model}/predict",
                            new { rows = request.Rows.Select(r => r.Json).ToArray(), routingKey = request.Key }, cancellationToken);
                        var body = await response.Content.ReadAsStringAsync(cancellationToken);
                        if (!response.IsSuccessStatusCode)
                        {
                            lastProblem = $"predict {response.StatusCode}: {body}";
                            return [];
                        }

                        var ids = JsonDocument.Parse(body).RootElement.GetProperty("predictions").EnumerateArray()
                            .Select(p => p.GetProperty("predictionId").GetString()!).ToList();
                        return ids.Zip(request.Rows, (id, row) => (object)new { predictionId = id, actualLabel = row.Churned ? "true" : "false" }).ToArray();
                    }));
                    // Ground truth arrives a round later, as in life: a prediction is logged a moment after its answer.
                    var items = pending;
                    pending = answers.SelectMany(a => a).ToArray();
                    RowsSent += pending.Length;
                    if (items.Length == 0)
                    {
                        await Task.Delay(200, cancellationToken);
                        continue;
                    }

                    using var feedback = await client.PostAsJsonAsync("api/feedback", new { items }, cancellationToken);
                    if (feedback.IsSuccessStatusCode)
                    {
                        LabelsRecorded += items.Length;
                    }
                    else
                    {
                        lastProblem = $"feedback {feedback.StatusCode}: {await feedback.Content.ReadAsStringAsync(cancellationToken)}";
                    }

                    await Task.Delay(200, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException ex)
                {
                    lastProblem = ex.Message;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }
}
