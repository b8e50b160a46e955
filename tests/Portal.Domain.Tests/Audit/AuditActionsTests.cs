using System.Reflection;
using Portal.Domain.Audit;
using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Audit;

/// <summary>The audit vocabulary: one catalogue, stable stored names, a display text for each.</summary>
public sealed class AuditActionsTests
{
    public static TheoryData<string> CataloguedNames() => new(AuditActions.All.Select(a => a.Name));

    [Fact]
    public void StoredNamesStayExactlyAsExistingEntriesWereHashedWith()
    {
        // Renaming a stored action would orphan every entry recorded under the old name; add, never rename.
        Assert.Equal(
        [
            "auth.signin.succeeded", "auth.signin.failed", "auth.lockout", "auth.signout", "auth.token.rejected",
            "user.created", "user.locked", "user.unlocked", "user.roles.changed",
            "token.created", "token.revoked",
            "dataset.uploaded", "dataset.column.classified",
            "experiment.created", "experiment.described",
            "run.submitted", "run.cancelled", "run.change.refused",
            "model.registered", "model.version.registered", "model.risktier.changed", "model.holdout.designated", "model.version.transitioned", "model.card.edited",
            "promotion.requested", "promotion.evaluated", "promotion.signedoff", "promotion.fairness.accepted", "promotion.approved", "promotion.approval.refused",
            "promotion.rejected", "promotion.overridden", "promotion.stale", "promotion.reevaluation.requested",
            "rollout.policy.set", "rollout.started", "rollout.step.advanced", "rollout.completed", "rollout.rolledback", "rollout.paused", "rollout.resumed",
            "rollout.aborted",
            "monitoring.policy.set", "retraining.policy.set", "alert.raised", "alert.acknowledged", "alert.resolved", "alert.cleared",
            "retraining.started", "retraining.failed",
            "dataset.classification.carried", "dataset.retention.expired", "dataset.version.purged", "erasure.report.exported", "erasure.requested",
            "retraining.required", "audit.checkpoint.signed", "lineage.event.received",
            "webhook.created", "webhook.deactivated", "webhook.retried",
        ], AuditActions.All.Select(a => a.Name));
    }

    [Fact]
    public void CatalogueHoldsEveryDeclaredActionOnce()
    {
        var declared = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(AuditAction))
            .Select(f => (AuditAction)f.GetValue(null)!)
            .ToList();

        Assert.Equal(declared.Count, AuditActions.All.Count);
        Assert.All(declared, action => Assert.Contains(action, AuditActions.All));
    }

    [Fact]
    public void NamesAndDisplayTextsAreUnique()
    {
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(AuditActions.All.Count, AuditActions.All.Select(a => a.DisplayText).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [MemberData(nameof(CataloguedNames))]
    public void EveryActionHasADisplayTextThatIsNotItsStoredName(string name)
    {
        var action = AuditActions.Find(name)!;

        Assert.False(string.IsNullOrWhiteSpace(action.DisplayText));
        Assert.NotEqual(action.Name, action.DisplayText);
    }

    [Theory]
    [MemberData(nameof(CataloguedNames))]
    public void StoredNameIsDescribedByItsDisplayText(string name) =>
        Assert.Equal(AuditActions.Find(name)!.DisplayText, AuditActions.Describe(name));

    [Fact]
    public void ActionNoLongerInTheCatalogueIsShownAsStored()
    {
        Assert.Null(AuditActions.Find("model.promoted.legacy"));
        Assert.Equal("model.promoted.legacy", AuditActions.Describe("model.promoted.legacy"));
    }

    [Fact]
    public void ActionsAreDescribedInPlainLanguage()
    {
        Assert.Equal("Signed in", AuditActions.Describe("auth.signin.succeeded"));
        Assert.Equal("Run submitted", AuditActions.Describe("run.submitted"));
        Assert.Equal("Dataset version uploaded", AuditActions.Describe("dataset.uploaded"));
    }

    [Fact]
    public void RecordedEntryStoresTheActionNameAndSubjectKindName()
    {
        var runId = RunId.Parse("0192f0c4-0000-7000-8000-000000000001");

        var entry = AuditEntry.Record(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), AuditActor.Service("test"),
            AuditActions.RunSubmitted, AuditSubject.Run(runId));

        Assert.Equal("run.submitted", entry.Action);
        Assert.Equal("Run", entry.SubjectType);
        Assert.Equal(runId.ToString(), entry.SubjectId);
    }
}
