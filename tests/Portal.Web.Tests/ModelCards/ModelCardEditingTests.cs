using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application;
using Portal.Application.Registry.Cards;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.ModelCards;

/// <summary>
/// Who may write a version's card (a BusinessManager, or the data scientist who registered the version or owns its model) is
/// decided by the use case; every change is audited with the text before and after, in the same save; a stale edit is refused.
/// </summary>
public sealed class ModelCardEditingTests(ModelCardsAppFactory factory) : IClassFixture<ModelCardsAppFactory>
{
    private ModelCardEditing Editing => factory.Services.GetRequiredService<ModelCardEditing>();

    [Fact]
    public async Task TheRegistrantsEditIsSavedWithItsAuditEntryHoldingBeforeAndAfter()
    {
        var (versionId, scientist) = await VersionRegisteredByScientistAsync();
        var actor = AuditActor.User(scientist, DemoAccounts.Scientist);

        var first = await Editing.EditAsync(new(versionId, ModelCardSectionKind.IntendedUse, "  Rank loan applications for review.  ", 0), actor, [Roles.DataScientist], default);
        var second = await Editing.EditAsync(new(versionId, ModelCardSectionKind.IntendedUse, "Rank applications; never decide alone.", 1), actor, [Roles.DataScientist], default);

        Assert.True(first.Succeeded, first.Error);
        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(("Rank applications; never decide alone.", 2), (second.Value!.Text, second.Value.Revision));
        var entries = await AuditOfAsync(versionId);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(AuditActions.ModelCardEdited.Name, e.Action));
        Assert.All(entries, e => Assert.Equal(scientist, e.ActorId));
        using var details = JsonDocument.Parse(entries[1].DetailsJson!);
        Assert.Equal("IntendedUse", details.RootElement.GetProperty("section").GetString());
        Assert.Equal("Rank loan applications for review.", details.RootElement.GetProperty("before").GetString());
        Assert.Equal("Rank applications; never decide alone.", details.RootElement.GetProperty("after").GetString());
        Assert.Equal(2, details.RootElement.GetProperty("revision").GetInt32());
        var sections = await factory.Services.GetRequiredService<ModelCardReader>().SectionsAsync(versionId, default);
        Assert.Equal(["Rank applications; never decide alone.", "", ""], sections.Select(s => s.Text));
    }

    [Theory]
    [InlineData(Roles.DataProtectionOfficer)]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.DataScientist)] // a data scientist who neither registered the version nor owns the model
    public async Task SomeoneWhoMayNotEditIsRefusedAndNothingIsWrittenOrAudited(string role)
    {
        var (versionId, _) = await VersionRegisteredByScientistAsync();
        var outsider = AuditActor.User("someone-else-" + Guid.NewGuid().ToString("N"), "outsider@portal.local");

        var result = await Editing.EditAsync(new(versionId, ModelCardSectionKind.Limitations, "Written by an outsider.", 0), outsider, [role], default);

        Assert.Equal(OperationStatus.Forbidden, result.Status);
        Assert.Contains("business manager", result.Error);
        Assert.False(await Editing.MayEditAsync(versionId, outsider.Id, [role], default));
        Assert.Empty(await AuditOfAsync(versionId));
        await using var db = await Db();
        Assert.False(await db.ModelCardSections.AnyAsync(s => s.ModelVersionId == versionId));
    }

    [Fact]
    public async Task ABusinessManagerAndTheModelsOwnerMayEditTheRunsSubmitterAloneMayNotWithoutTheRole()
    {
        var (versionId, scientist) = await VersionRegisteredByScientistAsync(ownerId: "owner-1");
        var manager = await DemoUsers.IdOfAsync(factory, DemoAccounts.Manager);

        Assert.True(await Editing.MayEditAsync(versionId, manager, [Roles.BusinessManager], default));
        Assert.True(await Editing.MayEditAsync(versionId, "owner-1", [Roles.DataScientist], default));
        Assert.True(await Editing.MayEditAsync(versionId, scientist, [Roles.DataScientist], default));
        // The registrant who no longer holds the data scientist role.
        Assert.False(await Editing.MayEditAsync(versionId, scientist, [Roles.DataProtectionOfficer], default));
        var edited = await Editing.EditAsync(new(versionId, ModelCardSectionKind.EthicalConsiderations, "Age is a feature; see fairness.", 0),
            AuditActor.User(manager, DemoAccounts.Manager), [Roles.BusinessManager], default);
        Assert.True(edited.Succeeded, edited.Error);
    }

    [Fact]
    public async Task AnEditMadeOnAnOlderRevisionIsRefusedAndOnlyTheFirstIsAudited()
    {
        var (versionId, scientist) = await VersionRegisteredByScientistAsync();
        var manager = await DemoUsers.IdOfAsync(factory, DemoAccounts.Manager);

        var mine = await Editing.EditAsync(new(versionId, ModelCardSectionKind.Limitations, "Trained on 2025 data only.", 0),
            AuditActor.User(scientist, DemoAccounts.Scientist), [Roles.DataScientist], default);
        var theirs = await Editing.EditAsync(new(versionId, ModelCardSectionKind.Limitations, "Unknown for applicants under 21.", 0),
            AuditActor.User(manager, DemoAccounts.Manager), [Roles.BusinessManager], default);

        Assert.True(mine.Succeeded, mine.Error);
        Assert.Equal(OperationStatus.Conflict, theirs.Status);
        Assert.Contains($"{DemoAccounts.Scientist} saved this section (revision 1)", theirs.Error);
        Assert.Single(await AuditOfAsync(versionId));
    }

    [Fact]
    public async Task TextTheRuleRefusesIsInvalidWithTheReasonAndAnUnknownVersionIsNotFound()
    {
        var (versionId, scientist) = await VersionRegisteredByScientistAsync();
        var actor = AuditActor.User(scientist, DemoAccounts.Scientist);

        var hidden = await Editing.EditAsync(new(versionId, ModelCardSectionKind.IntendedUse, "Safe\u202Eoverride", 0), actor, [Roles.DataScientist], default);
        var tooLong = await Editing.EditAsync(new(versionId, ModelCardSectionKind.IntendedUse, new string('x', ModelCardSection.MaxTextLength + 1), 0), actor, [Roles.DataScientist], default);
        var unknown = await Editing.EditAsync(new(ModelVersionId.New(DateTimeOffset.UtcNow), ModelCardSectionKind.IntendedUse, "text", 0), actor, [Roles.DataScientist], default);

        Assert.Equal(OperationStatus.Invalid, hidden.Status);
        Assert.Contains("bidirectional control character", hidden.Error);
        Assert.Equal(OperationStatus.Invalid, tooLong.Status);
        Assert.Contains($"at most {ModelCardSection.MaxTextLength} characters", tooLong.Error);
        Assert.Equal(OperationStatus.NotFound, unknown.Status);
        Assert.Empty(await AuditOfAsync(versionId));
    }

    [Fact]
    public async Task TheSectionAndItsAuditEntryAreWrittenTogetherOrNotAtAll()
    {
        var (versionId, scientist) = await VersionRegisteredByScientistAsync();
        // The database refuses the card's audit entry: the section must not be saved without it.
        await using (var db = await Db())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_card_audit BEFORE INSERT ON AuditEntries WHEN NEW.Action = 'model.card.edited' BEGIN SELECT RAISE(ABORT, 'audit refused'); END;");
        }

        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Editing.EditAsync(new(versionId, ModelCardSectionKind.IntendedUse, "Never saved.", 0),
                AuditActor.User(scientist, DemoAccounts.Scientist), [Roles.DataScientist], default));
        }
        finally
        {
            await using var db = await Db();
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_card_audit;");
        }

        await using var check = await Db();
        Assert.False(await check.ModelCardSections.AnyAsync(s => s.ModelVersionId == versionId));
    }

    private async Task<(ModelVersionId VersionId, string ScientistId)> VersionRegisteredByScientistAsync(string? ownerId = null)
    {
        var scientist = await DemoUsers.IdOfAsync(factory, DemoAccounts.Scientist);
        var (runId, _) = await CardRunSeeder.SeedAsync(factory);
        return (await factory.Versions.RegisterAsync(runId, scientist, ownerId ?? scientist), scientist);
    }

    private async Task<List<AuditEntry>> AuditOfAsync(ModelVersionId versionId)
    {
        await using var db = await Db();
        var id = versionId.ToString();
        return await db.AuditEntries.AsNoTracking().Where(e => e.SubjectType == AuditSubjectKinds.ModelVersion.Name && e.SubjectId == id).OrderBy(e => e.Sequence).ToListAsync();
    }

    private Task<PortalDbContext> Db() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
}
