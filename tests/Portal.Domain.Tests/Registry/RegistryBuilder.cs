using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;

namespace Portal.Domain.Tests.Registry;

/// <summary>Models, versions and requests in a known state for the registry tests.</summary>
internal static class RegistryBuilder
{
    public const string Scientist = "scientist";
    public const string Submitter = "submitter";
    public const string Manager = "manager-1";
    public const string OtherManager = "manager-2";
    public const string Dpo = "dpo";
    public const string Admin = "admin";
    public const string EvidenceA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string EvidenceB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    public static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly string[] ManagerRoles = [Roles.BusinessManager];
    public static readonly string[] ScientistRoles = [Roles.DataScientist];
    public static readonly string[] DpoRoles = [Roles.DataProtectionOfficer];
    public static readonly string[] AdminRoles = [Roles.Administrator];

    public static readonly IReadOnlyList<InputFeature> Signature = [new("Age", "Single"), new("Plan", "String")];

    public static RegisteredModel Model(RiskTier tier = RiskTier.Low) =>
        RegisteredModel.Create("churn", "Predicts churn", Scientist, ManagerRoles, tier, Now);

    public static VersionRegistration Registration(string submittedBy = Submitter, IReadOnlyList<InputFeature>? signature = null) =>
        new(RunId.New(Now), submittedBy, [], signature ?? Signature, new Dictionary<string, double> { ["accuracy"] = 0.9 }, new string('c', 64));

    public static ModelVersion Version(RegisteredModel model, string submittedBy = Submitter) =>
        model.RegisterVersion(Registration(submittedBy), Scientist, Now);

    public static List<GateResult> Gates(GateVerdict quality = GateVerdict.Passed, GateVerdict dataProtection = GateVerdict.Passed,
        GateVerdict fairness = GateVerdict.Passed) =>
    [
        new(PromotionGate.Quality, quality, quality == GateVerdict.Failed ? "The challenger is not better than the champion." : "Better by 2 points."),
        new(PromotionGate.Schema, GateVerdict.Passed, "Same inputs."),
        new(PromotionGate.Diagnostics, GateVerdict.Passed, "No error."),
        new(PromotionGate.Fairness, fairness, fairness == GateVerdict.Failed ? "Selection rate for women is 70 % of men's (below four fifths)." : "Within bounds."),
        new(PromotionGate.DataProtection, dataProtection, dataProtection == GateVerdict.Waiting ? "Personal data: the DPO must sign off." : "No personal data."),
    ];

    public static PromotionRequest Request(RegisteredModel model, ModelVersion version, ModelStage target = ModelStage.Production) =>
        PromotionRequest.Create(model, version, target, "Better on the hold-out.", Scientist, Now);

    /// <summary>An evaluated request on evidence A.</summary>
    public static PromotionRequest Evaluated(RegisteredModel model, ModelVersion version, List<GateResult>? gates = null, ApprovalPolicy? policy = null)
    {
        var request = Request(model, version);
        Assert.True(request.CompleteEvaluation(gates ?? Gates(), EvidenceA, model.RiskTier, policy ?? ApprovalPolicy.Default, Now).Succeeded);
        return request;
    }
}
