using Portal.Application.Registry.Cards;
using Portal.Web.Features.ModelCards;
using Portal.Web.Security;
using Portal.Domain.Audit;
using System.Security.Claims;
using Portal.Application.Registry;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;

namespace Portal.Web.Features.Registry;

/// <summary>
/// The model registry and promotion governance over HTTP: models, versions, promotion requests and their decisions. Who may
/// decide what is the use cases' and the domain's (<see cref="ModelRegistry"/>, <see cref="PromotionWorkflow"/>); the
/// endpoints read the body, parse names into values (400 listing the allowed ones) and answer refusals as problems: 403 for
/// a role or four-eyes refusal, 404 for an unknown model, version, run or request, 409 for a state that does not allow it.
/// </summary>
internal static class RegistryApi
{
    public const string EvidenceHashHeader = "Evidence-SHA256";

    public static RouteGroupBuilder MapRegistryApi(this RouteGroupBuilder api)
    {
        MapModels(api.MapGroup("/models").WithTags("Registry"));
        MapPromotions(api.MapGroup("/promotions").WithTags("Promotions"));
        return api;
    }

    private static void MapModels(RouteGroupBuilder models)
    {
        models.MapPost("/", async (CreateModelRequest request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken ct) =>
            {
                var tier = request.RiskTier is null ? RiskTier.Low : RegistryApiValues.Parse(request.RiskTier, RegistryApiValues.RiskTiers);
                if (tier is null)
                {
                    return Invalid(RegistryApiValues.Allowed("riskTier", RegistryApiValues.RiskTiers));
                }

                var created = await registry.CreateAsync(new CreateModel(request.Name, request.Description, tier.Value), user.ToAuditActor(), user.RoleNames(), ct);
                return created.ToHttpResult(model => Results.Created(ModelUrl(model.Name), new
                {
                    id = model.Id,
                    name = model.Name,
                    description = model.Description,
                    riskTier = model.RiskTier.ToString(),
                }));
            })
            .RequireAuthorization(Policies.ManageModels)
            .WithName("CreateModel")
            .WithSummary("Registers a model (name, description, riskTier Low or High; only managers and administrators set High); the caller owns it. 409 when the name is taken (ignoring case).")
            .Produces(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        models.MapGet("/", async (string? search, int? page, int? pageSize, RegistryQueries queries, CancellationToken ct) =>
            {
                var found = await queries.ListModelsAsync(search, page ?? 0, pageSize ?? 25, ct);
                return Results.Ok(new
                {
                    items = found.Items.Select(m => new
                    {
                        id = m.Id,
                        name = m.Name,
                        description = m.Description,
                        riskTier = m.RiskTier.ToString(),
                        owner = m.Owner,
                        versions = m.Versions,
                        championVersion = m.ChampionVersion,
                        openRequests = m.OpenRequests,
                        overridden = m.HasOverriddenPromotion,
                        createdUtc = m.CreatedUtc,
                    }),
                    total = found.Total,
                    page = found.Page,
                    pageSize = found.PageSize,
                });
            })
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("ListModels")
            .WithSummary("Lists registered models by name, paged and searched by name, with their champion version and open requests.")
            .Produces(StatusCodes.Status200OK);

        models.MapGet("/{name}", async (string name, RegistryQueries queries, CancellationToken ct) =>
                await queries.GetModelAsync(name, ct) is { } model ? Results.Ok(ModelShape(model)) : NoModel(name))
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("GetModel")
            .WithSummary("A model: risk tier, owner, hold-out, champion, versions (signature, metrics, model hash), the production history (who approved which version when, by which request, on which evidence, why, overridden) and its promotion requests.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapGet("/{name}/versions/{version:int}/card.md", async (string name, int version, ModelCardSource source, ModelCardReader cards, CancellationToken ct) =>
                await source.FindAsync(name, version, ct) is { } card
                    ? await cards.MarkdownAsync(card.VersionId, card.RunId, card.Inputs, ct)
                    : Results.Problem($"No version {version} of a model named {name}.", statusCode: StatusCodes.Status404NotFound, title: "Not found"))
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("GetModelCardMarkdown")
            .WithSummary("The version's model card as Markdown (a download): facts from its run and data, feature importance and fairness from its latest frozen evidence, and the edited sections.")
            .Produces(StatusCodes.Status200OK, contentType: "text/markdown")
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapGet("/{name}/versions/{version:int}/card.html", async (string name, int version, ModelCardSource source, ModelCardReader cards, CancellationToken ct) =>
                await source.FindAsync(name, version, ct) is { } card
                    ? await cards.HtmlAsync(card.VersionId, card.RunId, card.Inputs, ct)
                    : Results.Problem($"No version {version} of a model named {name}.", statusCode: StatusCodes.Status404NotFound, title: "Not found"))
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("GetModelCardHtml")
            .WithSummary("The version's model card as a self-contained printable HTML page (no script; its own strict Content-Security-Policy).")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapGet("/{name}/versions/{version:int}", async (string name, int version, RegistryQueries queries, CancellationToken ct) =>
            {
                var model = await queries.GetModelAsync(name, ct);
                if (model is null)
                {
                    return NoModel(name);
                }

                return model.Versions.FirstOrDefault(v => v.Number == version) is { } found
                    ? Results.Ok(VersionShape(found))
                    : Results.Problem($"Model {model.Name} has no version {version}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            })
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("GetModelVersion")
            .WithSummary("One version of a model: its run, stage, input signature, metrics and model hash.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapPut("/{name}/risk-tier", async (string name, ChangeRiskTierRequest request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken ct) =>
            {
                if (RegistryApiValues.Parse(request.RiskTier, RegistryApiValues.RiskTiers) is not { } tier)
                {
                    return Invalid(RegistryApiValues.Allowed("riskTier", RegistryApiValues.RiskTiers));
                }

                var changed = await registry.ChangeRiskTierAsync(name, tier, user.ToAuditActor(), user.RoleNames(), ct);
                return changed.ToHttpResult(t => Results.Ok(new { name, riskTier = t.ToString() }));
            })
            .RequireAuthorization(Policies.ManageModelRisk)
            .WithName("ChangeModelRiskTier")
            .WithSummary("Sets the risk tier (Low or High): business managers and administrators. Open promotion requests of the model become stale (their approval count changes).")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapPut("/{name}/hold-out", async (string name, DesignateHoldOutRequest request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken ct) =>
            {
                if (request.DatasetId is null && request.Version is not null)
                {
                    return Invalid("Give the datasetId of the version, or send datasetId null (and no version) to clear the hold-out.");
                }

                var designated = await registry.DesignateHoldOutAsync(name, request.DatasetId is { } d ? new DatasetId(d) : null, request.Version,
                    user.ToAuditActor(), user.RoleNames(), ct);
                return designated.ToHttpResult(_ => Results.Ok(new { name, datasetId = request.DatasetId, version = request.Version }));
            })
            .RequireAuthorization(Policies.DesignateHoldOut)
            .WithName("DesignateModelHoldOut")
            .WithSummary("Designates the hold-out dataset version challenger and champion are scored on ({ datasetId, version }: the latest version without one; datasetId null clears it): the model's owner or an administrator. Open promotion requests become stale.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapPost("/{name}/versions", async (string name, RegisterVersionRequest request, ClaimsPrincipal user, ModelRegistry registry, CancellationToken ct) =>
            {
                if (request.RunId is not { } runId)
                {
                    return Invalid("runId is required: the id of a succeeded run (managed, or external with its ML.NET model zip attached).");
                }

                var registered = await registry.RegisterVersionAsync(name, new RunId(runId), user.ToAuditActor(), ct);
                return registered.ToHttpResult(version => Results.Created(ModelUrl(name) + $"/versions/{version.Number}", new
                {
                    name = name.Trim(),
                    version = version.Number,
                    runId = version.RunId,
                    modelSha256 = version.ModelSha256,
                    inputSignature = version.InputSignature.Select(f => new { name = f.Name, type = f.Type }),
                }));
            })
            .RequireAuthorization(Policies.ManageModels)
            .WithName("RegisterModelVersion")
            .WithSummary("Registers the next version of a model from a succeeded run (managed, or external whose artifact is an ML.NET model zip): its dataset, input signature, metrics and model hash. 404 for an unknown model or run.")
            .Produces(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapPromotions(RouteGroupBuilder promotions)
    {
        promotions.MapPost("/", async (RequestPromotionRequest request, ClaimsPrincipal user, PromotionWorkflow workflow, CancellationToken ct) =>
            {
                if (request.Version is not { } version)
                {
                    return Invalid("version is required: the number of the model's version to promote.");
                }

                if (RegistryApiValues.Parse(request.TargetStage, RegistryApiValues.TargetStages) is not { } stage)
                {
                    return Invalid(RegistryApiValues.Allowed("targetStage", RegistryApiValues.TargetStages));
                }

                var requested = await workflow.RequestAsync(new RequestPromotion(request.Model, version, stage, request.Justification), user.ToAuditActor(),
                    user.RoleNames(), ct);
                return requested.ToHttpResult(r => Results.Accepted($"/api/promotions/{r.Id}", new { requestId = r.Id, status = r.Status.ToString() }));
            })
            .RequireAuthorization(Policies.ManageModels)
            .WithName("RequestPromotion")
            .WithSummary("Asks to move a version to Staging or Production with a justification (202 with its id); the worker evaluates the gates in the background.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        promotions.MapGet("/", async (string? view, int? page, int? pageSize, ClaimsPrincipal user, RegistryQueries queries, CancellationToken ct) =>
            {
                InboxView? parsed = string.IsNullOrWhiteSpace(view) ? RegistryQueries.InboxFor(user.RoleNames()) : RegistryApiValues.Parse(view, RegistryApiValues.Views);
                if (parsed is not { } inbox)
                {
                    return Invalid(RegistryApiValues.Allowed("view", RegistryApiValues.Views));
                }

                var found = await queries.InboxAsync(inbox, page ?? 0, pageSize ?? 25, ct);
                return Results.Ok(new
                {
                    view = RegistryApiValues.Spelling(inbox),
                    items = found.Items.Select(RowShape),
                    total = found.Total,
                    page = found.Page,
                    pageSize = found.PageSize,
                });
            })
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("ListPromotions")
            .WithSummary("An inbox of promotion requests, newest first: view managers (pending a decision), dataProtection (waiting for the DPO), open or all; by default the caller's own inbox.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        promotions.MapGet("/{id:guid}", async (Guid id, RegistryQueries queries, CancellationToken ct) =>
                await queries.GetRequestAsync(new PromotionRequestId(id), withEvidence: false, ct) is { } request
                    ? Results.Ok(DetailsShape(request))
                    : NoRequest(id))
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("GetPromotion")
            .WithSummary("A promotion request: status, gates with their verdicts and reasons, approvals and sign-offs (each with the evidence hash seen), the evidence hash, why it is stale, the evaluation's progress.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        promotions.MapGet("/{id:guid}/evidence", async (Guid id, HttpContext context, RegistryQueries queries, CancellationToken ct) =>
            {
                var request = await queries.GetRequestAsync(new PromotionRequestId(id), withEvidence: true, ct);
                if (request is null)
                {
                    return NoRequest(id);
                }

                if (request.EvidenceJson is not { } json || request.Summary.EvidenceSha256 is not { } sha)
                {
                    return Results.Problem($"Promotion request {id} has no frozen evidence: it is {request.Summary.Status}"
                                           + (request.Summary.StaleReason is { } stale ? $" ({stale})" : "") + ".",
                        statusCode: StatusCodes.Status404NotFound, title: "Not found");
                }

                context.Response.Headers[EvidenceHashHeader] = sha;
                return Results.Text(json, "application/json", System.Text.Encoding.UTF8);
            })
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("GetPromotionEvidence")
            .WithSummary("The frozen evidence of a promotion request: exactly the canonical JSON whose SHA-256 the Evidence-SHA256 header, the request and its audit entries carry.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);

        promotions.MapPost("/{id:guid}/approve", async (Guid id, ApprovePromotionRequest request, ClaimsPrincipal user, PromotionWorkflow workflow, CancellationToken ct) =>
                Decision(await workflow.ApproveAsync(new PromotionRequestId(id), request.Comment, request.EvidenceHash, user.ToAuditActor(), user.RoleNames(), ct)))
            .RequireAuthorization(Policies.DecidePromotions)
            .AuditsRefusal(AuditActions.PromotionApprovalRefused, AuditSubjectKinds.PromotionRequest, "id")
            .WithName("ApprovePromotion")
            .WithSummary("A business manager approves on the evidence they saw (evidenceHash; the current one when left out). The requester and the run's submitter are refused (403, audited); a failed gate, a missing DPO sign-off or stale evidence 409. The last approval needed makes the version champion at once.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        promotions.MapPost("/{id:guid}/reject", async (Guid id, RejectPromotionRequest request, ClaimsPrincipal user, PromotionWorkflow workflow, CancellationToken ct) =>
                Decision(await workflow.RejectAsync(new PromotionRequestId(id), request.Comment, user.ToAuditActor(), user.RoleNames(), ct)))
            .RequireAuthorization(Policies.DecidePromotions)
            .WithName("RejectPromotion")
            .WithSummary("A business manager rejects the request with a mandatory comment (never their own request or run).")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        promotions.MapPost("/{id:guid}/sign-off", async (Guid id, SignOffPromotionRequest request, ClaimsPrincipal user, PromotionWorkflow workflow, CancellationToken ct) =>
            {
                if (request.Allow is not { } allow)
                {
                    return Invalid("allow is required: true to allow the use of this data, false to deny it (which rejects the request for good).");
                }

                return Decision(await workflow.SignOffAsync(new PromotionRequestId(id), allow, request.Comment, request.EvidenceHash, user.ToAuditActor(), user.RoleNames(), ct));
            })
            .RequireAuthorization(Policies.SignOffPromotions)
            .WithName("SignOffPromotion")
            .WithSummary("The data protection officer allows or denies the use of the training data, with a comment, on the evidence they saw; a denial rejects the request for good.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        promotions.MapPost("/{id:guid}/accept-fairness", async (Guid id, AcceptFairnessRequest request, ClaimsPrincipal user, PromotionWorkflow workflow, CancellationToken ct) =>
                Decision(await workflow.AcceptFairnessBreachAsync(new PromotionRequestId(id), request.Reason, request.EvidenceHash, user.ToAuditActor(), user.RoleNames(), ct)))
            .RequireAuthorization(Policies.SignOffPromotions)
            .WithName("AcceptPromotionFairnessBreach")
            .WithSummary("The data protection officer accepts a fairness breach with a mandatory reason: the gate becomes a warning, and a request blocked by it alone becomes pending.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        promotions.MapPost("/{id:guid}/override", async (Guid id, OverridePromotionRequest request, ClaimsPrincipal user, PromotionWorkflow workflow, CancellationToken ct) =>
                Decision(await workflow.OverrideAsync(new PromotionRequestId(id), request.Reason, user.ToAuditActor(), user.RoleNames(), ct)))
            .RequireAuthorization(Policies.OverridePromotions)
            .WithName("OverridePromotion")
            .WithSummary("An administrator overrides the failed hard gates of a blocked request with a mandatory reason; the request becomes pending (still approved by managers) and the model is flagged for good.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        promotions.MapPost("/{id:guid}/reevaluate", async (Guid id, ClaimsPrincipal user, PromotionWorkflow workflow, CancellationToken ct) =>
                Decision(await workflow.ReevaluateAsync(new PromotionRequestId(id), user.ToAuditActor(), user.RoleNames(), ct), StatusCodes.Status202Accepted))
            .RequireAuthorization(Policies.ReevaluatePromotions)
            .WithName("ReevaluatePromotion")
            .WithSummary("Sends a stale or blocked request back to the worker for a fresh evaluation (202): its requester, a business manager or an administrator.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult Decision(OperationResult<PromotionDecision> result, int status = StatusCodes.Status200OK) =>
        result.ToHttpResult(d =>
        {
            var body = new
            {
                requestId = d.RequestId,
                status = d.Status.ToString(),
                approvals = d.Approvals,
                requiredApprovals = d.RequiredApprovals,
                counted = d.Counted,
                championVersion = d.ChampionVersion,
            };
            return status == StatusCodes.Status202Accepted ? Results.Accepted($"/api/promotions/{d.RequestId}", body) : Results.Ok(body);
        });

    private static object ModelShape(ModelDetails m) => new
    {
        id = m.Id,
        name = m.Name,
        description = m.Description,
        riskTier = m.RiskTier.ToString(),
        owner = m.Owner,
        holdOut = m.HoldOut is { } h ? new { datasetId = h.DatasetId, dataset = h.DatasetName, version = h.Version, rows = h.Rows } : null,
        overridden = m.HasOverriddenPromotion,
        createdUtc = m.CreatedUtc,
        champion = m.Champion is { } c ? new { version = c.Number, runId = c.RunId } : null,
        versions = m.Versions.Select(VersionShape),
        history = m.History.Select(p => new
        {
            version = p.Version,
            from = p.FromUtc,
            to = p.ToUtc,
            approvedBy = p.ApprovedBy,
            requestId = p.RequestId,
            reason = p.Reason,
            evidenceHash = p.EvidenceSha256,
            overridden = p.Overridden,
        }),
        requests = m.Requests.Select(RowShape),
    };

    private static object VersionShape(VersionRow v) => new
    {
        version = v.Number,
        runId = v.RunId,
        stage = v.Stage.ToString(),
        trainer = v.Trainer,
        task = v.Task?.ToString(),
        runSubmittedBy = v.RunSubmittedBy,
        registeredBy = v.RegisteredBy,
        registeredUtc = v.RegisteredUtc,
        stageChangedUtc = v.StageChangedUtc,
        modelSha256 = v.ModelSha256,
        inputSignature = v.InputSignature.Select(f => new { name = f.Name, type = f.Type }),
        metrics = v.Metrics,
    };

    private static object RowShape(PromotionRow r) => new
    {
        requestId = r.Id,
        model = r.Model,
        riskTier = r.RiskTier.ToString(),
        version = r.Version,
        targetStage = r.TargetStage.ToString(),
        status = r.Status.ToString(),
        requestedBy = r.RequestedBy,
        requestedUtc = r.RequestedUtc,
        justification = r.Justification,
        approvals = r.Approvals,
        requiredApprovals = r.RequiredApprovals,
        signOffRequired = r.SignOffRequired,
        signedOff = r.SignedOff,
        gates = GatesShape(r.Gates),
        evidenceHash = r.EvidenceSha256,
        staleReason = r.StaleReason,
        overridden = r.Overridden,
    };

    private static object DetailsShape(PromotionDetails d) => new
    {
        requestId = d.Summary.Id,
        model = d.Summary.Model,
        riskTier = d.Summary.RiskTier.ToString(),
        version = d.Summary.Version,
        runId = d.RunId,
        targetStage = d.Summary.TargetStage.ToString(),
        status = d.Summary.Status.ToString(),
        requestedBy = d.Summary.RequestedBy,
        requestedUtc = d.Summary.RequestedUtc,
        runSubmittedBy = d.RunSubmittedBy,
        justification = d.Summary.Justification,
        gates = GatesShape(d.Summary.Gates),
        approvals = d.Approvals.Select(a => new
        {
            approver = a.Approver, comment = a.Comment, evidenceHash = a.EvidenceSha256Seen, approvedUtc = a.ApprovedUtc, counts = a.Counts,
        }),
        signOffs = d.SignOffs.Select(s => new
        {
            officer = s.Officer, allow = s.Allow, comment = s.Comment, evidenceHash = s.EvidenceSha256Seen, signedUtc = s.SignedUtc, counts = s.Counts,
        }),
        approvalCount = d.Summary.Approvals,
        requiredApprovals = d.Summary.RequiredApprovals,
        signOffRequired = d.Summary.SignOffRequired,
        evidenceHash = d.Summary.EvidenceSha256,
        staleReason = d.Summary.StaleReason,
        evaluatedUtc = d.EvaluatedUtc,
        fairnessAcceptedBy = d.FairnessAcceptedBy,
        fairnessAcceptanceReason = d.FairnessAcceptanceReason,
        decidedBy = d.DecidedBy,
        decidedUtc = d.DecidedUtc,
        rejectionComment = d.RejectionComment,
        overridden = d.Summary.Overridden,
        overriddenBy = d.OverriddenBy,
        overrideReason = d.OverrideReason,
        evaluation = d.Evaluation is { } e ? new { progress = e.Progress, stage = e.Stage, attempt = e.Attempt, lastError = e.LastError } : null,
    };

    private static object GatesShape(IReadOnlyList<GateResult> gates) =>
        gates.Select(g => new { gate = g.Gate.ToString(), verdict = g.Verdict.ToString(), reason = g.Reason }).ToList();

    private static string ModelUrl(string name) => $"/api/models/{Uri.EscapeDataString(name.Trim())}";

    private static IResult NoModel(string name) =>
        Results.Problem($"No model named {name}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static IResult NoRequest(Guid id) =>
        Results.Problem($"No promotion request {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static IResult Invalid(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
