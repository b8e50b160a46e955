using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Runs;
using Portal.Web.Features.Audit;
using Portal.Web.Tests.Components;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Audit;

/// <summary>
/// The audit page and the CSV export name every catalogued action by its display text, and an action the
/// catalogue no longer knows (an old entry) by its stored name. Entries of one test carry that test's own actor.
/// </summary>
public sealed class AuditDisplayTextTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private const string LegacyAction = "model.promoted.legacy";
    private const string LegacySubjectType = "Workspace";

    private readonly PortalAppFactory factory;

    public AuditDisplayTextTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<AuditQueryService>());
        Services.AddSingleton(factory.Services.GetRequiredService<AuditTrail>());
        Services.AddSingleton(factory.Services.GetRequiredService<Portal.Application.Audit.AuditCheckpoints>());
        Services.AddSingleton(factory.Services.GetRequiredService<AuditSubjectLinks>());
        SignIn(DemoAccounts.Dpo, Portal.Domain.Security.Roles.DataProtectionOfficer);
    }

    [Fact]
    public async Task SubjectsLinkToTheirPages()
    {
        var trail = factory.Services.GetRequiredService<AuditTrail>();
        var run = new RunId(Guid.NewGuid());
        await trail.WriteAsync(AuditActor.Service("links-" + Guid.NewGuid().ToString("N")[..8]), AuditActions.RunSubmitted, AuditSubject.Run(run));
        await DisposeComponentsAsync();

        var page = RenderPage<AuditPage>();

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=subject-link]"), a => a.GetAttribute("href") == $"/runs/{run}"), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ExportNamesEveryActionByItsDisplayTextBesideItsStoredName()
    {
        var actor = await RecordEveryActionAndALegacyOneAsync();
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);

        var csv = await dpo.GetStringAsync($"/api/audit/export?search={actor}");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Columns(l.TrimEnd('\r'))).ToList();

        Assert.Equal(
            ["sequence", "timestampUtc", "actorKind", "actorId", "actorName", "action", "subjectType", "subjectId", "details",
             "previousHash", "hash", "actionText", "subjectTypeText"],
            lines[0]);
        var shown = lines.Skip(1).ToDictionary(c => c[5], c => (ActionText: c[11], SubjectText: c[12]));
        Assert.Equal(AuditActions.All.Count + 1, shown.Count);
        Assert.All(AuditActions.All, action => Assert.Equal(action.DisplayText, shown[action.Name].ActionText));
        Assert.Equal(AuditSubjectKinds.Run.DisplayText, shown[AuditActions.RunSubmitted.Name].SubjectText);
        Assert.Equal((LegacyAction, LegacySubjectType), shown[LegacyAction]);
    }

    [Fact]
    public async Task PageNamesEveryActionByItsDisplayTextAndAnOldOneAsStored()
    {
        // The page shows the newest 25 entries: each part of the catalogue is recorded, then read as the newest rows.
        foreach (var part in AuditActions.All.Chunk(24))
        {
            await RecordAsync("display-" + Guid.NewGuid().ToString("N")[..8], part);
            await DisposeComponentsAsync();

            var page = RenderPage<AuditPage>();

            page.WaitForAssertion(() => Assert.Equal(part[^1].DisplayText, Rows(page).FirstOrDefault().Action), TimeSpan.FromSeconds(5));
            var rows = Rows(page).Take(part.Length).ToList();
            Assert.Equal(part.Reverse().Select(a => a.DisplayText), rows.Select(r => r.Action));
            if (part.Contains(AuditActions.TokenCreated))
            {
                Assert.StartsWith("API token ", rows.Single(r => r.Action == AuditActions.TokenCreated.DisplayText).Subject);
            }
        }

        WriteLegacyEntry();
        await DisposeComponentsAsync();
        var cut = RenderPage<AuditPage>();

        cut.WaitForAssertion(() => Assert.Equal(LegacyAction, Rows(cut).FirstOrDefault().Action), TimeSpan.FromSeconds(5));
        Assert.StartsWith(LegacySubjectType + " ", Rows(cut)[0].Subject);
    }

    [Fact]
    public async Task SearchFindsAnActionByTheTextThePageShows()
    {
        var actor = await RecordEveryActionAndALegacyOneAsync();
        var audit = factory.Services.GetRequiredService<AuditQueryService>();

        var found = await audit.SearchAsync(new AuditQuery("api TOKEN revoked", ActorId: actor), CancellationToken.None);

        Assert.Equal([AuditActions.TokenRevoked.Name], found.Items.Select(r => r.Action));
    }

    /// <summary>One entry per catalogued action, in catalogue order, then one under a name no feature records any more.</summary>
    private async Task<string> RecordEveryActionAndALegacyOneAsync()
    {
        var actor = "display-" + Guid.NewGuid().ToString("N")[..8];
        await RecordAsync(actor, AuditActions.All);
        WriteLegacyEntry();
        return actor;
    }

    private async Task RecordAsync(string actor, IEnumerable<AuditAction> actions)
    {
        var trail = factory.Services.GetRequiredService<AuditTrail>();
        foreach (var action in actions)
        {
            var subject = action.Name.StartsWith("run.", StringComparison.Ordinal) ? AuditSubject.Run(new RunId(Guid.NewGuid()))
                : action.Name.StartsWith("token.", StringComparison.Ordinal) ? AuditSubject.ApiToken(Guid.NewGuid())
                : AuditSubject.User(actor);
            await trail.WriteAsync(AuditActor.Service(actor), action, subject);
        }
    }

    /// <summary>Older entries cannot be written through the typed trail any more; copies the head row under an unknown name.</summary>
    private void WriteLegacyEntry()
    {
        using var connection = factory.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO AuditEntries (Sequence, TimestampUtc, ActorKind, ActorId, ActorName, Action, SubjectType, SubjectId, DetailsJson, PreviousHash, Hash)
            SELECT Sequence + 1, TimestampUtc, ActorKind, ActorId, ActorName, $action, $type, SubjectId, DetailsJson, Hash, 'legacy'
            FROM AuditEntries ORDER BY Sequence DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$action", LegacyAction);
        command.Parameters.AddWithValue("$type", LegacySubjectType);
        command.ExecuteNonQuery();
    }

    /// <summary>The action and subject cells of each entry row, newest first, read afresh.</summary>
    private static List<(string Action, string Subject)> Rows(IRenderedComponent<PageHost> cut) =>
        cut.FindAll("[data-testid=audit-table] tbody tr")
            .Where(tr => tr.QuerySelector("td[data-label=Action]") is not null)
            .Select(tr => (tr.QuerySelector("td[data-label=Action]")!.TextContent.Trim(), tr.QuerySelector("td[data-label=Subject]")!.TextContent.Trim()))
            .ToList();

    /// <summary>Splits one RFC 4180 line.</summary>
    private static List<string> Columns(string line)
    {
        var columns = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                columns.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        columns.Add(current.ToString());
        return columns;
    }
}
