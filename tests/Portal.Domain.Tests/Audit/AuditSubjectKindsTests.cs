using System.Reflection;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Audit;

public sealed class AuditSubjectKindsTests
{
    public static TheoryData<string> CataloguedNames() => new(AuditSubjectKinds.All.Select(k => k.Name));

    [Fact]
    public void StoredTypeNamesStayExactlyAsExistingEntriesWereHashedWith() =>
        Assert.Equal(["User", "ApiToken", "DatasetVersion", "Experiment", "Run", "RegisteredModel", "ModelVersion", "PromotionRequest", "Rollout", "MonitoringAlert", "ErasureRequest", "AuditCheckpoint", "LineageEvent", "WebhookSubscription", "WebhookDelivery"], AuditSubjectKinds.All.Select(k => k.Name));

    [Fact]
    public void CatalogueHoldsEveryDeclaredKindOnceWithUniqueNamesAndTexts()
    {
        var declared = typeof(AuditSubjectKinds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(AuditSubjectKind))
            .Select(f => (AuditSubjectKind)f.GetValue(null)!)
            .ToList();

        Assert.Equal(declared.Count, AuditSubjectKinds.All.Count);
        Assert.All(declared, kind => Assert.Contains(kind, AuditSubjectKinds.All));
        Assert.Equal(declared.Count, AuditSubjectKinds.All.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(declared.Count, AuditSubjectKinds.All.Select(k => k.DisplayText).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [MemberData(nameof(CataloguedNames))]
    public void StoredTypeIsDescribedByItsNonEmptyDisplayText(string name)
    {
        var kind = AuditSubjectKinds.Find(name)!;

        Assert.False(string.IsNullOrWhiteSpace(kind.DisplayText));
        Assert.Equal(kind.DisplayText, AuditSubjectKinds.Describe(name));
    }

    [Fact]
    public void TypeNoLongerInTheCatalogueIsShownAsStored() =>
        Assert.Equal("Workspace", AuditSubjectKinds.Describe("Workspace"));

    [Fact]
    public void SubjectsBuiltForAFeatureCarryTheirKindsStoredName()
    {
        var id = Guid.Parse("0192f0c4-0000-7000-8000-000000000002");

        Assert.Equal(new[] { "User", "ApiToken", "DatasetVersion", "Experiment", "Run", "RegisteredModel", "ModelVersion", "PromotionRequest" },
            new[] { AuditSubject.User("u"), AuditSubject.ApiToken(id), AuditSubject.DatasetVersion(new DatasetVersionId(id)), AuditSubject.Experiment(new ExperimentId(id)), AuditSubject.Run(new RunId(id)),
                AuditSubject.RegisteredModel(new RegisteredModelId(id)), AuditSubject.ModelVersion(new ModelVersionId(id)), AuditSubject.PromotionRequest(new PromotionRequestId(id)) }
                .Select(s => s.Type));
    }
}
