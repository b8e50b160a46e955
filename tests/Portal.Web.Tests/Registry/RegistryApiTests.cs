using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Registry;

/// <summary>
/// The registry and promotion API end to end on the real app (SQLite): models and versions from succeeded runs with a real
/// ML.NET model file, requests, the worker's evaluation stood in by <see cref="RegistryDriver.EvaluateAsync"/>, decisions by
/// each role, four-eyes, stale evidence, sign-off, override, and the answers to what is unknown or malformed.
/// </summary>
public sealed class RegistryApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private readonly RegistryDriver driver = new(factory);

    [Fact]
    public async Task ManagerApprovalMakesTheChallengerChampionArchivesThePreviousOneAndStalesTheModelsOtherOpenRequests()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var runs = new List<Guid>();
        var model = await RegistryDriver.CreateModelAsync(scientist, "churn");
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await RegistryDriver.SucceededRunAsync(scientist));
            Assert.Equal(i + 1, await RegistryDriver.RegisterAsync(scientist, model, runs[i]));
        }

        var first = await RegistryDriver.RequestAsync(scientist, model, 1);
        var firstHash = await driver.EvaluateAsync(first);
        var firstApproved = await RegistryDriver.ApproveAsync(manager, first, firstHash, "first champion");
        var challenger = await RegistryDriver.RequestAsync(scientist, model, 2);
        var other = await RegistryDriver.RequestAsync(scientist, model, 3);
        var challengerHash = await driver.EvaluateAsync(challenger);
        await driver.EvaluateAsync(other);

        var approved = await RegistryDriver.ApproveAsync(manager, challenger, challengerHash, "better on the same rows");
        var decision = await approved.JsonAsync();
        var page = await scientist.GetFromJsonAsync<JsonElement>($"/api/models/{model}");
        var otherRequest = await RegistryDriver.PromotionAsync(scientist, other);
        var challengerRequest = await RegistryDriver.PromotionAsync(manager, challenger);

        Assert.Equal(HttpStatusCode.OK, firstApproved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("Approved", decision.GetProperty("status").GetString());
        Assert.Equal(2, decision.GetProperty("championVersion").GetInt32());
        Assert.Equal(2, page.GetProperty("champion").GetProperty("version").GetInt32());
        Assert.Equal(runs[1], page.GetProperty("champion").GetProperty("runId").GetGuid());
        var stages = page.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetInt32(), v => v.GetProperty("stage").GetString());
        Assert.Equal(new Dictionary<int, string?> { [1] = "Archived", [2] = "Production", [3] = "None" }, stages);
        Assert.Equal(["income", "debt", "age"], page.GetProperty("versions")[0].GetProperty("inputSignature").EnumerateArray().Select(f => f.GetProperty("name").GetString()));

        // The history: who let each version in, when, why, by which request, on which evidence; the earlier period is closed.
        var history = page.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal(2, history[0].GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("to").ValueKind);
        Assert.Equal(challenger, history[0].GetProperty("requestId").GetGuid());
        Assert.Equal(challengerHash, history[0].GetProperty("evidenceHash").GetString());
        Assert.Equal("version 2 is better", history[0].GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(Assert.Single(history[0].GetProperty("approvedBy").EnumerateArray()).GetString()));
        Assert.False(history[0].GetProperty("overridden").GetBoolean());
        Assert.Equal(1, history[1].GetProperty("version").GetInt32());
        Assert.Equal(history[0].GetProperty("from").GetDateTime(), history[1].GetProperty("to").GetDateTime());
        Assert.Equal(firstHash, history[1].GetProperty("evidenceHash").GetString());

        // The model's other open request compared against the previous champion: stale, with the reason, and not approvable.
        Assert.Equal("Stale", otherRequest.GetProperty("status").GetString());
        Assert.Contains("Version 2 became the champion", otherRequest.GetProperty("staleReason").GetString());
        Assert.Equal("Approved", challengerRequest.GetProperty("status").GetString());
        Assert.Equal(challengerHash, challengerRequest.GetProperty("approvals")[0].GetProperty("evidenceHash").GetString());

        // The approval's audit entry carries the evidence hash the manager saw.
        var audited = Assert.Single(await driver.AuditAsync(AuditActions.PromotionApproved, challenger));
        Assert.Contains(challengerHash, audited.DetailsJson);
    }

    [Fact]
    public async Task EvidenceIsServedAsTheStoredCanonicalTextWithItsHash()
    {
        var scientist = await driver.ScientistAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        var beforeEvaluation = await scientist.GetAsync($"/api/promotions/{request}/evidence");
        var hash = await driver.EvaluateAsync(request);

        var evidence = await scientist.GetAsync($"/api/promotions/{request}/evidence");
        var bytes = await evidence.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.NotFound, beforeEvaluation.StatusCode);
        Assert.Contains("Evaluating", (await beforeEvaluation.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, evidence.StatusCode);
        Assert.Equal("application/json", evidence.Content.Headers.ContentType?.MediaType);
        Assert.Equal(hash, evidence.Headers.GetValues("Evidence-SHA256").Single());
        Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(hash, (await RegistryDriver.PromotionAsync(scientist, request)).GetProperty("evidenceHash").GetString());
    }

    [Fact]
    public async Task TheRequesterAndTheRunsSubmitterApprovingThroughTheApiAreRefused403AndAudited()
    {
        // People who are both data scientist and business manager: the only ones the role check alone would let through.
        var requester = await driver.ClientAsync(await driver.NewUserAsync("dual-requester", Roles.DataScientist, Roles.BusinessManager));
        var submitterEmail = await driver.NewUserAsync("dual-submitter", Roles.DataScientist, Roles.BusinessManager);
        var submitter = await driver.ClientAsync(submitterEmail);
        var scientist = await driver.ScientistAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(requester, 1);
        var own = await RegistryDriver.RequestAsync(requester, model, 1);
        var ownHash = await driver.EvaluateAsync(own);
        var othersModel = await RegistryDriver.CreateModelAsync(scientist);
        await RegistryDriver.RegisterAsync(scientist, othersModel, await RegistryDriver.SucceededRunAsync(submitter));
        var ofOwnRun = await RegistryDriver.RequestAsync(scientist, othersModel, 1);
        var ofOwnRunHash = await driver.EvaluateAsync(ofOwnRun);

        var byRequester = await RegistryDriver.ApproveAsync(requester, own, ownHash);
        var bySubmitter = await RegistryDriver.ApproveAsync(submitter, ofOwnRun, ofOwnRunHash);

        Assert.Equal(HttpStatusCode.Forbidden, byRequester.StatusCode);
        Assert.Equal("application/problem+json", byRequester.Content.Headers.ContentType?.MediaType);
        Assert.Contains("You requested this promotion", (await byRequester.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, bySubmitter.StatusCode);
        Assert.Contains("You submitted the run", (await bySubmitter.JsonAsync()).GetProperty("detail").GetString());
        foreach (var id in new[] { own, ofOwnRun })
        {
            var request = await RegistryDriver.PromotionAsync(scientist, id);
            Assert.Equal("Pending", request.GetProperty("status").GetString());
            Assert.Equal(0, request.GetProperty("approvals").GetArrayLength());
            Assert.Single(await driver.AuditAsync(AuditActions.PromotionApprovalRefused, id));
            Assert.Empty(await driver.AuditAsync(AuditActions.PromotionApproved, id));
        }

        var refusedSubmitter = Assert.Single(await driver.AuditAsync(AuditActions.PromotionApprovalRefused, ofOwnRun));
        Assert.Equal(submitterEmail, refusedSubmitter.ActorName);
        Assert.Contains("RunSubmitterMayNotDecide", refusedSubmitter.DetailsJson);
    }

    [Fact]
    public async Task TheSameManagerApprovingTwiceCountsOnceAndAHighRiskModelNeedsASecondManager()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var secondManager = await driver.ClientAsync(await driver.NewUserAsync("manager-two", Roles.BusinessManager));
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var tier = await manager.PutAsJsonAsync($"/api/models/{model}/risk-tier", new { riskTier = "High" });
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        var hash = await driver.EvaluateAsync(request);

        var once = await (await RegistryDriver.ApproveAsync(manager, request, hash)).JsonAsync();
        var twice = await (await RegistryDriver.ApproveAsync(manager, request, hash, "again")).JsonAsync();
        var afterTwice = await RegistryDriver.PromotionAsync(scientist, request);
        var second = await (await RegistryDriver.ApproveAsync(secondManager, request, hash)).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, tier.StatusCode);
        Assert.Equal(2, afterTwice.GetProperty("requiredApprovals").GetInt32());
        Assert.True(once.GetProperty("counted").GetBoolean());
        Assert.False(twice.GetProperty("counted").GetBoolean());
        Assert.Equal(1, twice.GetProperty("approvals").GetInt32());
        Assert.Equal("Pending", afterTwice.GetProperty("status").GetString());
        Assert.Equal(1, afterTwice.GetProperty("approvalCount").GetInt32());
        Assert.Equal("Approved", second.GetProperty("status").GetString());
        Assert.Equal(2, second.GetProperty("approvals").GetInt32());
        Assert.Equal(1, second.GetProperty("championVersion").GetInt32());
    }

    [Fact]
    public async Task ApprovalOnStaleEvidenceIsRefusedWithTheReasonUntilReevaluated()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        var oldHash = await driver.EvaluateAsync(request, note: "first look");
        await manager.PutAsJsonAsync($"/api/models/{model}/risk-tier", new { riskTier = "High" });

        var onStale = await RegistryDriver.ApproveAsync(manager, request, oldHash);
        var reevaluated = await scientist.PostAsync($"/api/promotions/{request}/reevaluate", null);
        var newHash = await driver.EvaluateAsync(request, note: "second look");
        var onOldHash = await RegistryDriver.ApproveAsync(manager, request, oldHash);
        var onNewHash = await RegistryDriver.ApproveAsync(manager, request, newHash);

        Assert.Equal(HttpStatusCode.Conflict, onStale.StatusCode);
        Assert.Contains("risk tier changed from Low to High", (await onStale.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Accepted, reevaluated.StatusCode);
        Assert.Equal("Evaluating", (await reevaluated.JsonAsync()).GetProperty("status").GetString());
        Assert.NotEqual(oldHash, newHash);
        Assert.Equal(HttpStatusCode.Conflict, onOldHash.StatusCode);
        Assert.Contains("not the current evidence", (await onOldHash.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, onNewHash.StatusCode);
        Assert.Equal(2, (await driver.AuditAsync(AuditActions.PromotionApprovalRefused, request)).Count);
    }

    [Fact]
    public async Task PersonalDataWaitsForTheDpoSignOffThenTheManagerApproves()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var dpo = await driver.DpoAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        var hash = await driver.EvaluateAsync(request, RegistryDriver.Gates((PromotionGate.DataProtection, GateVerdict.Waiting, "Column email is personal data.")));

        var beforeSignOff = await RegistryDriver.ApproveAsync(manager, request, hash);
        var inbox = await dpo.GetFromJsonAsync<JsonElement>("/api/promotions?view=dataProtection&pageSize=100");
        var withoutComment = await dpo.PostAsJsonAsync($"/api/promotions/{request}/sign-off", new { allow = true, comment = "", evidenceHash = hash });
        var signedOff = await dpo.PostAsJsonAsync($"/api/promotions/{request}/sign-off", new { allow = true, comment = "lawful basis: contract", evidenceHash = hash });
        var approved = await RegistryDriver.ApproveAsync(manager, request, hash);
        var details = await RegistryDriver.PromotionAsync(manager, request);

        Assert.Equal(HttpStatusCode.Conflict, beforeSignOff.StatusCode);
        Assert.Contains("data protection officer must sign off", (await beforeSignOff.JsonAsync()).GetProperty("detail").GetString());
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), r => r.GetProperty("requestId").GetGuid() == request);
        Assert.Equal(HttpStatusCode.BadRequest, withoutComment.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedOff.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("Approved", details.GetProperty("status").GetString());
        Assert.True(details.GetProperty("signOffs")[0].GetProperty("allow").GetBoolean());
        Assert.Equal(hash, details.GetProperty("signOffs")[0].GetProperty("evidenceHash").GetString());
    }

    [Fact]
    public async Task ADeniedSignOffRejectsTheRequestForGood()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var dpo = await driver.DpoAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        var hash = await driver.EvaluateAsync(request, RegistryDriver.Gates((PromotionGate.DataProtection, GateVerdict.Waiting, "Column email is personal data.")));

        var denied = await (await dpo.PostAsJsonAsync($"/api/promotions/{request}/sign-off", new { allow = false, comment = "no lawful basis", evidenceHash = hash })).JsonAsync();
        var approve = await RegistryDriver.ApproveAsync(manager, request, hash);
        var reevaluate = await scientist.PostAsync($"/api/promotions/{request}/reevaluate", null);
        var overridden = await (await driver.AdminAsync()).PostAsJsonAsync($"/api/promotions/{request}/override", new { reason = "we need it" });
        var page = await scientist.GetFromJsonAsync<JsonElement>($"/api/models/{model}");

        Assert.Equal("Rejected", denied.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        Assert.Contains("already rejected", (await approve.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, reevaluate.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, overridden.StatusCode);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("champion").ValueKind);
    }

    [Fact]
    public async Task OnlyAnAdministratorOverridesAFailedGateAndOnlyWithAReasonAndTheModelStaysFlagged()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var admin = await driver.AdminAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        var hash = await driver.EvaluateAsync(request, RegistryDriver.Gates((PromotionGate.Diagnostics, GateVerdict.Failed, "Training reported an error: the loss diverged.")));

        var blocked = await RegistryDriver.ApproveAsync(manager, request, hash);
        var byManager = await manager.PostAsJsonAsync($"/api/promotions/{request}/override", new { reason = "I say so" });
        var withoutReason = await admin.PostAsJsonAsync($"/api/promotions/{request}/override", new { reason = " " });
        var overridden = await admin.PostAsJsonAsync($"/api/promotions/{request}/override", new { reason = "the divergence was in a discarded warm-up phase" });
        var approved = await RegistryDriver.ApproveAsync(manager, request, hash);
        var page = await scientist.GetFromJsonAsync<JsonElement>($"/api/models/{model}");
        var list = await scientist.GetFromJsonAsync<JsonElement>($"/api/models?search={model}");

        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Contains("the loss diverged", (await blocked.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byManager.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Contains("reason is required", (await withoutReason.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        Assert.Equal("Pending", (await overridden.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.True(page.GetProperty("overridden").GetBoolean());
        Assert.True(page.GetProperty("history")[0].GetProperty("overridden").GetBoolean());
        Assert.True(list.GetProperty("items")[0].GetProperty("overridden").GetBoolean());
        Assert.Single(await driver.AuditAsync(AuditActions.PromotionOverridden, request));
    }

    [Fact]
    public async Task ARejectionNeedsACommentAndIsFinal()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        var hash = await driver.EvaluateAsync(request);

        var withoutComment = await manager.PostAsJsonAsync($"/api/promotions/{request}/reject", new { comment = "" });
        var rejected = await manager.PostAsJsonAsync($"/api/promotions/{request}/reject", new { comment = "the gain is within noise" });
        var approve = await RegistryDriver.ApproveAsync(manager, request, hash);
        var details = await RegistryDriver.PromotionAsync(scientist, request);

        Assert.Equal(HttpStatusCode.BadRequest, withoutComment.StatusCode);
        Assert.Contains("comment is required", (await withoutComment.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        Assert.Equal("Rejected", details.GetProperty("status").GetString());
        Assert.Equal("the gain is within noise", details.GetProperty("rejectionComment").GetString());
    }

    [Fact]
    public async Task AChallengerThatDropsAFeatureIsRegisteredWithItsSignatureAndBlockedAsBreaking()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.CreateModelAsync(scientist);
        await RegistryDriver.RegisterAsync(scientist, model, await RegistryDriver.SucceededRunAsync(scientist, TinyModels.Full));
        await RegistryDriver.RegisterAsync(scientist, model, await RegistryDriver.SucceededRunAsync(scientist, TinyModels.MissingAge));
        var first = await RegistryDriver.RequestAsync(scientist, model, 1);
        await RegistryDriver.ApproveAsync(manager, first, await driver.EvaluateAsync(first));
        var versions = (await scientist.GetFromJsonAsync<JsonElement>($"/api/models/{model}")).GetProperty("versions");
        IReadOnlyList<InputFeature> Signature(int index) =>
            [.. versions[index].GetProperty("inputSignature").EnumerateArray().Select(f => new InputFeature(f.GetProperty("name").GetString()!, f.GetProperty("type").GetString()!))];
        var challenger = await RegistryDriver.RequestAsync(scientist, model, 2);

        // The worker's schema gate on the signatures the API shows: version 2 (first in the list) against the champion.
        var hash = await driver.EvaluateAsync(challenger, [.. RegistryDriver.Gates().Where(g => g.Gate != PromotionGate.Schema), SchemaCompatibility.Gate(Signature(0), Signature(1))]);
        var approve = await RegistryDriver.ApproveAsync(manager, challenger, hash);
        var details = await RegistryDriver.PromotionAsync(manager, challenger);

        Assert.Equal([new InputFeature("income", "Single"), new InputFeature("debt", "Single")], Signature(0));
        Assert.Equal("Blocked", details.GetProperty("status").GetString());
        var schema = details.GetProperty("gates").EnumerateArray().Single(g => g.GetProperty("gate").GetString() == "Schema");
        Assert.Equal("Failed", schema.GetProperty("verdict").GetString());
        Assert.Contains("age", schema.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        Assert.Contains("age", (await approve.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownModelVersionRunAndRequestAnswer404WithTheReason()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);
        var dataset = await scientist.UploadLoansAsync($"holdout-{Guid.NewGuid():N}", 40, seed: 9);
        var unknownRun = Guid.NewGuid();
        var unknownRequest = Guid.NewGuid();

        var cases = new (HttpResponseMessage Response, string Detail)[]
        {
            (await scientist.GetAsync("/api/models/no-such-model"), "No model named no-such-model."),
            (await scientist.PostAsJsonAsync("/api/models/no-such-model/versions", new { runId = await RegistryDriver.SucceededRunAsync(scientist) }), "No model named no-such-model."),
            (await scientist.PostAsJsonAsync($"/api/models/{model}/versions", new { runId = unknownRun }), $"No run {unknownRun}."),
            (await scientist.GetAsync($"/api/models/{model}/versions/7"), $"Model {model} has no version 7."),
            (await scientist.PostAsJsonAsync("/api/promotions", new { model, version = 9, targetStage = "Staging", justification = "x" }), $"Model {model} has no version 9."),
            (await scientist.PostAsJsonAsync("/api/promotions", new { model = "no-such-model", version = 1, targetStage = "Staging", justification = "x" }), "No model named no-such-model."),
            (await scientist.GetAsync($"/api/promotions/{unknownRequest}"), $"No promotion request {unknownRequest}."),
            (await scientist.GetAsync($"/api/promotions/{unknownRequest}/evidence"), $"No promotion request {unknownRequest}."),
            (await RegistryDriver.ApproveAsync(manager, unknownRequest, null), $"No promotion request {unknownRequest}."),
            (await manager.PutAsJsonAsync("/api/models/no-such-model/risk-tier", new { riskTier = "High" }), "No model named no-such-model."),
            (await scientist.PutAsJsonAsync($"/api/models/{model}/hold-out", new { datasetId = Guid.NewGuid(), version = 1 }), "No dataset"),
            (await scientist.PutAsJsonAsync($"/api/models/{model}/hold-out", new { datasetId = dataset.Id, version = 99 }), $"Dataset {dataset.Id} has no version 99."),
        };

        foreach (var (response, detail) in cases)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith(detail, (await response.JsonAsync()).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task EnumValuesAreReadByNameAndAWrongOneIsRefusedListingTheAllowedValues()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);

        var cases = new (HttpResponseMessage Response, string Detail)[]
        {
            (await scientist.PostAsJsonAsync("/api/models", new { name = $"m-{Guid.NewGuid():N}", riskTier = "Medium" }), "riskTier must be one of Low, High."),
            (await scientist.PostAsJsonAsync("/api/models", new { name = $"m-{Guid.NewGuid():N}", riskTier = "1" }), "riskTier must be one of Low, High."),
            (await manager.PutAsJsonAsync($"/api/models/{model}/risk-tier", new { riskTier = "Low, High" }), "riskTier must be one of Low, High."),
            (await manager.PutAsJsonAsync($"/api/models/{model}/risk-tier", new { }), "riskTier must be one of Low, High."),
            (await scientist.PostAsJsonAsync("/api/promotions", new { model, version = 1, targetStage = "Archived", justification = "x" }), "targetStage must be one of Staging, Production."),
            (await scientist.GetAsync("/api/promotions?view=boss"), "view must be one of managers, dataProtection, open, all."),
            (await (await driver.DpoAsync()).PostAsJsonAsync($"/api/promotions/{Guid.NewGuid()}/sign-off", new { comment = "x" }), "allow is required"),
        };

        foreach (var (response, detail) in cases)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(detail, (await response.JsonAsync()).GetProperty("detail").GetString());
        }

        var staging = await scientist.PostAsJsonAsync("/api/promotions", new { model, version = 1, targetStage = "staging", justification = "to try it" });
        Assert.Equal(HttpStatusCode.Accepted, staging.StatusCode);
        Assert.EndsWith($"/api/promotions/{(await staging.JsonAsync()).GetProperty("requestId").GetGuid()}", staging.Headers.Location!.ToString());
    }

    [Fact]
    public async Task AManagerMayNotSetTheHighTierOnCreationThroughAScientistButMayChangeItAndTheOwnerDesignatesTheHoldOut()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var otherScientist = await driver.ClientAsync(await driver.NewUserAsync("other-scientist", Roles.DataScientist));
        var (datasetId, datasetVersion) = await scientist.UploadLoansAsync($"holdout-{Guid.NewGuid():N}", 60, seed: 5);
        var name = $"tiered-{Guid.NewGuid():N}";

        var high = await scientist.PostAsJsonAsync("/api/models", new { name, description = "x", riskTier = "High" });
        var created = await scientist.PostAsJsonAsync("/api/models", new { name, description = "x" });
        var duplicate = await scientist.PostAsJsonAsync("/api/models", new { name = name.ToUpperInvariant(), description = "x" });
        var byScientist = await scientist.PutAsJsonAsync($"/api/models/{name}/risk-tier", new { riskTier = "High" });
        var byManager = await manager.PutAsJsonAsync($"/api/models/{name}/risk-tier", new { riskTier = "High" });
        var byOther = await otherScientist.PutAsJsonAsync($"/api/models/{name}/hold-out", new { datasetId, version = datasetVersion });
        var byOwner = await scientist.PutAsJsonAsync($"/api/models/{name}/hold-out", new { datasetId, version = datasetVersion });
        var page = await manager.GetFromJsonAsync<JsonElement>($"/api/models/{name.ToUpperInvariant()}");

        Assert.Equal(HttpStatusCode.Forbidden, high.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/models/{name}", created.Headers.Location!.ToString());
        Assert.Equal("Low", (await created.JsonAsync()).GetProperty("riskTier").GetString());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byScientist.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byManager.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOther.StatusCode);
        Assert.Contains("owner", (await byOther.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal("High", page.GetProperty("riskTier").GetString());
        Assert.Equal(datasetId, page.GetProperty("holdOut").GetProperty("datasetId").GetGuid());
        Assert.Equal(datasetVersion, page.GetProperty("holdOut").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task ListsAnswerTheDeepestPageInsteadOfOverflowing()
    {
        var scientist = await driver.ScientistAsync();
        // Rows to skip: a row offset that overflowed to a negative number would list them from the start.
        await RegistryDriver.RequestAsync(scientist, await RegistryDriver.ModelWithVersionsAsync(scientist, 1), 1);

        var models = await scientist.GetAsync($"/api/models?page={int.MaxValue}&pageSize=100");
        var promotions = await scientist.GetAsync($"/api/promotions?view=all&page={int.MaxValue}&pageSize=100");

        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Equal(0, (await models.JsonAsync()).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, promotions.StatusCode);
        Assert.Equal(0, (await promotions.JsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task TheManagersInboxListsPendingRequestsByDefault()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 2);
        var pending = await RegistryDriver.RequestAsync(scientist, model, 1);
        var evaluating = await RegistryDriver.RequestAsync(scientist, model, 2);
        await driver.EvaluateAsync(pending);

        var inbox = await manager.GetFromJsonAsync<JsonElement>("/api/promotions?pageSize=100");
        var open = await manager.GetFromJsonAsync<JsonElement>("/api/promotions?view=open&pageSize=100");

        Assert.Equal("managers", inbox.GetProperty("view").GetString());
        var ids = inbox.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("requestId").GetGuid()).ToList();
        Assert.Contains(pending, ids);
        Assert.DoesNotContain(evaluating, ids);
        Assert.Contains(open.GetProperty("items").EnumerateArray(), r => r.GetProperty("requestId").GetGuid() == evaluating);
        await using var db = await driver.DbAsync();
        Assert.Equal(await db.PromotionRequests.CountAsync(r => r.Status == PromotionStatus.Pending), inbox.GetProperty("total").GetInt32());
    }
}
