using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using static Portal.Domain.Tests.Registry.RegistryBuilder;

namespace Portal.Domain.Tests.Registry;

public sealed class RegisteredModelTests
{
    private static PromotionTransition Approved(RegisteredModel model, ModelVersion version, string manager = Manager, ModelStage target = ModelStage.Production)
    {
        var request = PromotionRequest.Create(model, version, target, $"Version {version.Number} is better.", Scientist, Now);
        request.CompleteEvaluation(Gates(), EvidenceA, RiskTier.Low, ApprovalPolicy.Default, Now);
        return request.Approve(manager, ManagerRoles, null, EvidenceA, Now).Transition!;
    }

    [Fact]
    public void TheNameIsTrimmedAndCarriesTheKeyUniquenessCompares()
    {
        var model = RegisteredModel.Create("  Churn ", "", Scientist, ScientistRoles, RiskTier.Low, Now);

        Assert.Equal("Churn", model.Name);
        Assert.Equal(RegisteredModel.Create("CHURN", "", Scientist, ScientistRoles, RiskTier.Low, Now).NormalizedName, model.NormalizedName);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("churn\u001b[31m", "")]
    [InlineData("churn", "see \u202Egnp.exe")]
    public void ANameOrDescriptionTheTextRuleRefusesIsRefused(string name, string description) =>
        Assert.Throws<ArgumentException>(() => RegisteredModel.Create(name, description, Scientist, ScientistRoles, RiskTier.Low, Now));

    [Fact]
    public void ADataScientistCannotRegisterAHighRiskModelNorChangeTheTier()
    {
        Assert.Throws<InvalidOperationException>(() => RegisteredModel.Create("churn", "", Scientist, ScientistRoles, RiskTier.High, Now));
        var model = RegisteredModel.Create("churn", "", Scientist, ScientistRoles, RiskTier.Low, Now);

        var result = model.ChangeRiskTier(RiskTier.High, ScientistRoles);

        Assert.Equal(RefusalReason.RoleRequired, result.Refusal?.Reason);
        Assert.Equal(RiskTier.Low, model.RiskTier);
    }

    [Theory]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.BusinessManager)]
    public void AnAdministratorOrABusinessManagerChangesTheRiskTier(string role)
    {
        var model = Model();

        Assert.True(model.ChangeRiskTier(RiskTier.High, [role]).Succeeded);
        Assert.Equal(RiskTier.High, model.RiskTier);
    }

    [Fact]
    public void OnlyTheOwnerOrAnAdministratorDesignatesTheHoldOut()
    {
        var model = Model();
        var holdOut = DatasetVersionId.New(Now);

        Assert.Equal(RefusalReason.RoleRequired, model.DesignateHoldOut(holdOut, Manager, ManagerRoles).Refusal?.Reason);
        Assert.True(model.DesignateHoldOut(holdOut, Scientist, ScientistRoles).Succeeded);
        Assert.Equal(holdOut, model.HoldOutDatasetVersionId);
    }

    [Fact]
    public void VersionsAreNumberedPerModelAndStartInStageNone()
    {
        var model = Model();
        var other = RegisteredModel.Create("fraud", "", Scientist, ScientistRoles, RiskTier.Low, Now);

        var first = Version(model);
        var second = Version(model);
        var otherFirst = Version(other);

        Assert.Equal([1, 2, 1], new[] { first.Number, second.Number, otherFirst.Number });
        Assert.All(new[] { first, second }, v => Assert.Equal(ModelStage.None, v.Stage));
        Assert.Equal(Signature, first.InputSignature);
    }

    [Fact]
    public void TheSameRunIsNotRegisteredTwice()
    {
        var model = Model();
        var registration = Registration();
        model.RegisterVersion(registration, Scientist, Now);

        Assert.Contains("already version 1", model.VersionProblem(registration));
        Assert.Throws<ArgumentException>(() => model.RegisterVersion(registration, Scientist, Now));
    }

    public static TheoryData<VersionRegistration> BadRegistrations() => new(
        Registration() with { ModelSha256 = "ABC" },
        Registration() with { RunSubmittedBy = "" },
        Registration(signature: []),
        Registration(signature: [new("Age", "Single"), new("Age", "String")]),
        Registration(signature: [new("Age\u202E", "Single")]),
        Registration() with { Metrics = new Dictionary<string, double> { ["accuracy"] = double.NaN } });

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public void AVersionWithBadFactsIsRefusedWithTheReason(VersionRegistration registration)
    {
        var model = Model();

        Assert.NotNull(model.VersionProblem(registration));
        Assert.Throws<ArgumentException>(() => model.RegisterVersion(registration, Scientist, Now));
        Assert.Empty(model.Versions);
    }

    [Fact]
    public void TheFirstPromotionToProductionMakesAChampionAndOpensItsPeriod()
    {
        var model = Model();
        var version = Version(model);

        Assert.True(model.Apply(Approved(model, version), Now).Succeeded);

        Assert.Same(version, model.Champion);
        var period = Assert.Single(model.ProductionHistory);
        Assert.Equal(version.Id, period.VersionId);
        Assert.Equal(Now.UtcDateTime, period.FromUtc);
        Assert.Null(period.ToUtc);
        Assert.Equal([Manager], period.ApprovedBy);
        Assert.Equal("Version 1 is better.", period.Reason);
        Assert.Equal(EvidenceA, period.EvidenceSha256);
    }

    [Fact]
    public void ANewChampionArchivesThePreviousOneAndClosesItsPeriodInTheSameOperation()
    {
        var model = Model();
        var first = Version(model);
        var second = Version(model);
        model.Apply(Approved(model, first), Now);
        var transition = Approved(model, second, OtherManager);
        var later = Now.AddDays(3);

        Assert.True(model.Apply(transition, later).Succeeded);

        Assert.Same(second, model.Champion);
        Assert.Equal(ModelStage.Archived, first.Stage);
        Assert.Single(model.Versions, v => v.Stage == ModelStage.Production);
        Assert.Equal(2, model.ProductionHistory.Count);
        Assert.Equal(later.UtcDateTime, model.ProductionHistory[0].ToUtc);
        Assert.Equal(first.Id, model.ProductionHistory[0].VersionId);
        Assert.Equal(second.Id, model.ProductionHistory[1].VersionId);
        Assert.Equal(later.UtcDateTime, model.ProductionHistory[1].FromUtc);
        Assert.Null(model.ProductionHistory[1].ToUtc);
        Assert.Equal([OtherManager], model.ProductionHistory[1].ApprovedBy);
    }

    [Fact]
    public void TwoApprovedPromotionsOfDifferentVersionsLeaveExactlyOneChampion()
    {
        var model = Model();
        var first = Version(model);
        var second = Version(model);
        var toFirst = Approved(model, first);
        var toSecond = Approved(model, second);

        model.Apply(toFirst, Now);
        model.Apply(toSecond, Now.AddMinutes(1));

        Assert.Single(model.Versions, v => v.Stage == ModelStage.Production);
        Assert.Single(model.ProductionHistory, p => p.IsOpen);
        Assert.Same(second, model.Champion);
    }

    [Fact]
    public void AnArchivedVersionOrTheChampionIsNotPromotedAgainAndNothingChanges()
    {
        var model = Model();
        var first = Version(model);
        var second = Version(model);
        var firstAgain = Approved(model, first);
        model.Apply(Approved(model, first), Now);

        Assert.Equal(RefusalReason.WrongState, model.Apply(firstAgain, Now).Refusal?.Reason);

        var secondTransition = Approved(model, second);
        model.Apply(secondTransition, Now.AddDays(1));

        var result = model.Apply(firstAgain, Now.AddDays(2));

        Assert.Equal(RefusalReason.WrongState, result.Refusal?.Reason);
        Assert.Same(second, model.Champion);
        Assert.Equal(ModelStage.Archived, first.Stage);
        Assert.Equal(2, model.ProductionHistory.Count);
        Assert.Throws<ArgumentException>(() => PromotionRequest.Create(model, first, ModelStage.Production, "Roll back.", Scientist, Now));
    }

    [Fact]
    public void StagingMovesTheVersionWithoutTouchingTheChampionOrTheHistory()
    {
        var model = Model();
        var champion = Version(model);
        var candidate = Version(model);
        model.Apply(Approved(model, champion), Now);

        Assert.True(model.Apply(Approved(model, candidate, target: ModelStage.Staging), Now).Succeeded);

        Assert.Equal(ModelStage.Staging, candidate.Stage);
        Assert.Same(champion, model.Champion);
        Assert.Single(model.ProductionHistory);
    }

    [Fact]
    public void ATransitionForAnotherModelIsRefused()
    {
        var model = Model();
        var other = RegisteredModel.Create("fraud", "", Scientist, ScientistRoles, RiskTier.Low, Now);
        var transition = Approved(other, Version(other));

        Assert.False(model.Apply(transition, Now).Succeeded);
        Assert.Null(other.Champion);
    }
}
