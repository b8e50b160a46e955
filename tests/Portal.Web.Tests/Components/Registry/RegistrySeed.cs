using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using Portal.Application.Registry;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Registry;

/// <summary>
/// Registry data made the way users make it: an external run that ends succeeded with a real ML.NET model zip (through the
/// tracking API), then the registry's and the workflow's use cases (register, request, the worker's evaluation, approvals).
/// </summary>
public sealed class RegistrySeed(PortalAppFactory factory)
{
    private static readonly byte[] ModelZip = TrainTinyModel();

    public ModelRegistry Models => factory.Services.GetRequiredService<ModelRegistry>();

    public PromotionWorkflow Workflow => factory.Services.GetRequiredService<PromotionWorkflow>();

    public static string Tag() => $"m{Guid.NewGuid():N}"[..10];

    public async Task<string> UserIdAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email))!.Id;
    }

    public async Task<AuditActor> ActorAsync(string email) => AuditActor.User(await UserIdAsync(email), email);

    /// <summary>An external run of <paramref name="email"/>'s that saved a real ML.NET model and ended succeeded.</summary>
    public async Task<RunId> SucceededRunAsync(string email, string experiment, double auc)
    {
        var client = TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read, ApiScopes.Write)).Token);
        var created = await client.PostAsJsonAsync("/api/runs", new { experiment, mode = "external", task = "binary", trainer = "SdcaLogisticRegression", labelColumn = "Label" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var runId = (await created.JsonAsync()).GetProperty("runId").GetGuid();
        Assert.True((await client.PostAsync($"/api/runs/{runId}/artifact", new ByteArrayContent(ModelZip))).IsSuccessStatusCode);
        var metrics = new[] { new { key = "areaUnderRocCurve", value = auc, step = 0L }, new { key = "accuracy", value = auc - 0.05, step = 0L } };
        Assert.True((await client.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics })).IsSuccessStatusCode);
        Assert.True((await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" })).IsSuccessStatusCode);
        return new RunId(runId);
    }

    public async Task<RegisteredModel> ModelAsync(string name, string description = "Who leaves within 90 days", RiskTier tier = RiskTier.Low)
    {
        var result = await Models.CreateAsync(new CreateModel(name, description, tier), await ActorAsync(DemoAccounts.Manager),
            [Roles.BusinessManager], CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return result.Value!;
    }

    public async Task<int> VersionAsync(string model, string email, double auc)
    {
        var run = await SucceededRunAsync(email, $"{model}-exp", auc);
        var result = await Models.RegisterVersionAsync(model, run, await ActorAsync(email), CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return result.Value!.Number;
    }

    public async Task<PromotionRequestId> RequestAsync(string model, int version, string email = DemoAccounts.Scientist, ModelStage target = ModelStage.Production)
    {
        var result = await Workflow.RequestAsync(new RequestPromotion(model, version, target, $"Version {version} finds more of the customers who leave."),
            await ActorAsync(email), [Roles.DataScientist], CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return result.Value!.Id;
    }

    /// <summary>What the worker does when it has evaluated the gates: freezes the evidence and its verdicts.</summary>
    public async Task<string> EvaluateAsync(PromotionRequestId requestId, string evidenceJson, GateVerdict fairness = GateVerdict.Passed,
        GateVerdict schema = GateVerdict.Passed)
    {
        var gates = new[]
        {
            new GateResult(PromotionGate.Quality, GateVerdict.Passed, "The challenger is better by 4.0 points of AUC, and we are 95 % sure it is at least 1.2 points."),
            new GateResult(PromotionGate.Schema, schema, schema == GateVerdict.Failed ? "The challenger drops the input Age, which callers send." : "Same inputs as the champion."),
            new GateResult(PromotionGate.Diagnostics, GateVerdict.Passed, "No error-severity diagnostic."),
            new GateResult(PromotionGate.Fairness, fairness, fairness == GateVerdict.Failed ? "The true-positive rates of the groups of Gender differ by 18 points (at most 10)." : "Within bounds."),
            new GateResult(PromotionGate.DataProtection, GateVerdict.Passed, "No personal or unclassified column in the training data."),
        };
        var result = await Workflow.CompleteEvaluationAsync(requestId, gates, evidenceJson, await ChampionAsync(requestId), AuditActor.Service("worker"),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        var details = await factory.Services.GetRequiredService<Portal.Web.Features.Registry.RegistryQueries>().GetRequestAsync(requestId, false, CancellationToken.None);
        return details!.Summary.EvidenceSha256!;
    }

    public async Task ApproveAsync(PromotionRequestId requestId, string evidenceSha256, string email = DemoAccounts.Manager, string comment = "The uplift is worth it.")
    {
        var result = await Workflow.ApproveAsync(requestId, comment, evidenceSha256, await ActorAsync(email), [Roles.BusinessManager], CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
    }

    private async Task<ModelVersionId?> ChampionAsync(PromotionRequestId requestId)
    {
        var details = await factory.Services.GetRequiredService<Portal.Web.Features.Registry.RegistryQueries>().GetRequestAsync(requestId, false, CancellationToken.None);
        var model = await factory.Services.GetRequiredService<Portal.Web.Features.Registry.RegistryQueries>().GetModelAsync(details!.Summary.Model, CancellationToken.None);
        return model!.Champion?.Id;
    }

    /// <summary>A real ML.NET binary classifier (two numeric inputs) saved with its input schema, as a trainer saves it.</summary>
    private static byte[] TrainTinyModel()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 60).Select(i => new Row { Age = 20 + (i % 40), Income = 1000 + (37 * i % 500), Label = i % 3 == 0 }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Concatenate("Features", nameof(Row.Age), nameof(Row.Income))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 5));
        var model = pipeline.Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    private sealed class Row
    {
        public float Age { get; set; }

        public float Income { get; set; }

        public bool Label { get; set; }
    }
}
