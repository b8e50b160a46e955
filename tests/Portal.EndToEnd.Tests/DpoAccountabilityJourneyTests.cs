using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Datasets;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.EndToEnd.Tests.TestData;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Issue 13's "done when" for the data protection officer in a real browser, past classification (see
/// <see cref="DataProtectionJourneyTests"/>): one customer id leads to the dataset version holding it, the run trained on it,
/// the model version and its live deployment, and to a CSV report naming the model; the live deployment is followed back to
/// its raw data in the lineage table; the audit chain verifies against a checkpoint the DPO signs, and a history rewritten
/// consistently in the database (every hash recomputed) is reported against that checkpoint.
/// </summary>
public sealed partial class DpoAccountabilityJourneyTests(TrainingBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<TrainingBrowserFixture>
{
    // Training and the promotion's evaluation share two cores with Kestrel, the circuits and chromium.
    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 120_000 };

    private IServiceProvider Services => Fixture.App.Services;

    private GovernanceSteps Steps => new(Services);

    [Fact]
    public async Task TheDpoTracesOneCustomerToALiveModelExportsTheReportFollowsItBackToTheDataAndVerifiesTheAuditChain()
    {
        // Arrange: customer data a scientist uploaded (customer_id classified personal by the DPO), a run trained on it, its
        // model version approved into Production after the DPO's sign-off: a live deployment.
        var scientist = await Steps.ActorAsync(DemoAccounts.Scientist);
        var officer = await Steps.ActorAsync(DemoAccounts.DataProtectionOfficer);
        var manager2 = await Steps.ActorAsync(DemoAccounts.Manager2);
        var model = $"erase-{Guid.NewGuid():N}"[..14];
        var datasetName = $"{model}-customers";
        var experiment = $"{model}-training";
        var customerId = ChurnCsvBuilder.CustomerId(417);
        var dataset = await Steps.UploadAsync(datasetName, new ChurnCsvBuilder().WithRows(800).WithSeed(71).WithCustomerIds().Build(), scientist, officer);
        var classified = await Services.GetRequiredService<ColumnClassification>().ClassifyAsync(dataset.DatasetId, dataset.Version,
            ChurnCsvBuilder.CustomerIdColumn, DataClassification.Personal, false, officer, [Roles.DataProtectionOfficer], default);
        Assert.True(classified.Succeeded, classified.Error);
        var run = await Steps.TrainAsync(experiment, dataset, scientist);
        await Steps.WaitForRunsAsync(run);

        var registry = Services.GetRequiredService<ModelRegistry>();
        var workflow = Services.GetRequiredService<PromotionWorkflow>();
        Assert.True((await registry.CreateAsync(new CreateModel(model, "Which customers leave within the quarter."), scientist, [Roles.DataScientist], default)).Succeeded);
        Assert.True((await registry.RegisterVersionAsync(model, run, scientist, default)).Succeeded);
        var requested = await workflow.RequestAsync(new RequestPromotion(model, 1, ModelStage.Production, "The first churn model."), scientist,
            [Roles.DataScientist], default);
        Assert.True(requested.Succeeded, requested.Error);
        var evaluated = await Steps.EvaluatedAsync(requested.Value!.Id);
        Assert.True(evaluated.SignOffRequired, "a model trained on personal data waits for the DPO's sign-off");
        var signedOff = await workflow.SignOffAsync(evaluated.Id, true, "Contract basis recorded for the customer columns.", evaluated.EvidenceSha256, officer,
            [Roles.DataProtectionOfficer], default);
        Assert.True(signedOff.Succeeded, signedOff.Error);
        var approved = await workflow.ApproveAsync(evaluated.Id, "First champion.", evaluated.EvidenceSha256, manager2, [Roles.BusinessManager], default);
        Assert.True(approved.Succeeded, approved.Error);
        var deployment = $"deployment:{evaluated.Id}";

        var page = await SignedInAsync(DemoAccounts.DataProtectionOfficer);

        // Act: the DPO looks for one customer by id on the erasure page.
        var erasure = await new ErasurePage(page).GotoAsync();
        await erasure.FindAsync(datasetName, ChurnCsvBuilder.CustomerIdColumn, customerId);

        // Assert: the dataset version holding the customer, the run trained on it, the model version and its live deployment.
        await Expect(erasure.Results).ToContainTextAsync($"Column {ChurnCsvBuilder.CustomerIdColumn}");
        await Expect(erasure.DatasetVersions.Locator("tr")).ToHaveCountAsync(1);
        await Expect(erasure.DatasetVersions).ToContainTextAsync($"{datasetName} v1");
        await Expect(erasure.DatasetVersions).ToContainTextAsync("800 rows");
        await Expect(erasure.Runs).ToContainTextAsync(experiment);
        await Expect(erasure.Runs).ToContainTextAsync("Succeeded");
        await Expect(erasure.ModelVersions).ToContainTextAsync($"{model} v1");
        await Expect(erasure.ModelVersions).ToContainTextAsync("Production");
        await Expect(erasure.LiveDeployments).ToContainTextAsync($"{model} v1");
        await Expect(erasure.LiveDeployments).ToContainTextAsync("production");

        // Act: the report's CSV export, fetched with the DPO's session as the browser's link would.
        var href = await erasure.ExportCsv.GetAttributeAsync("href");
        Assert.False(string.IsNullOrEmpty(href));
        var download = await page.APIRequest.GetAsync(href);

        // Assert: a CSV naming the live model, which names the customer by keyed hash only, and the export is on record.
        Assert.Equal(200, download.Status);
        Assert.StartsWith("text/csv", download.Headers.GetValueOrDefault("content-type"), StringComparison.Ordinal);
        var csv = await download.TextAsync();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("request,kind,name,id,state,detail,link", lines[0]);
        Assert.Contains(lines, l => l.Contains("modelVersion", StringComparison.Ordinal) && l.Contains($"{model} v1,", StringComparison.Ordinal)
            && l.Contains("Production", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("liveDeployment", StringComparison.Ordinal) && l.Contains($"{model} v1,", StringComparison.Ordinal)
            && l.Contains($"/models/{model}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("datasetVersion", StringComparison.Ordinal) && l.Contains($"{datasetName} v1,", StringComparison.Ordinal));
        Assert.DoesNotContain(customerId, csv, StringComparison.Ordinal);
        Assert.NotEmpty(await ExportsOfAsync(officer));

        // Act: from the live deployment back up to its raw data, in the lineage page's table.
        var lineage = await new LineagePage(page).GotoAsync(deployment, "up", 6);
        await lineage.TableTab.ClickAsync();

        // Assert: the deployment is live; upstream, through the run, the dataset version it was trained on, marked personal data.
        var root = lineage.NodeRow($"{model} v1 in production (live)");
        await Expect(LineagePage.Cell(root, "Live")).ToHaveTextAsync("Live");
        await Expect(LineagePage.Cell(root, "Distance")).ToHaveTextAsync("0");
        var data = lineage.NodeRow($"{datasetName} v1");
        await Expect(LineagePage.Cell(data, "Kind")).ToHaveTextAsync("datasetVersion");
        await Expect(LineagePage.Cell(data, "Personal data")).ToHaveTextAsync("Personal data");
        await Expect(LineagePage.Cell(data, "Distance")).ToHaveTextAsync("4");
        var runLabel = await lineage.NodesTable.Locator("tbody tr").Filter(new() { HasText = $" in {experiment} (" })
            .Locator("td[data-label=Node]").InnerTextAsync();
        await Expect(lineage.EdgeRow($"{datasetName} v1", runLabel)).ToContainTextAsync("used-by");
        await Expect(lineage.EdgeRow(runLabel, $"{model} v1 (Production)")).ToContainTextAsync("registered-as");

        // Act: on the audit page the DPO signs a checkpoint of the chain head and verifies the chain.
        var audit = await new AuditTrailPage(page).GotoAsync();
        await BlazorCircuit.WaitForInteractiveAsync(page, "[data-testid=sign-checkpoint]");
        await page.GetByTestId("sign-checkpoint").ClickAsync();
        var signed = page.Locator(".mud-snackbar").Filter(new() { HasTextRegex = SignedCheckpoint() });
        await Expect(signed).ToBeVisibleAsync();
        var checkpointId = SignedCheckpoint().Match(await signed.InnerTextAsync()).Groups["id"].Value;
        await Expect(page.GetByTestId("last-checkpoint")).ToContainTextAsync($"#{checkpointId},");
        await audit.VerifyChainAsync();

        // Assert: the chain is intact and matches every signed checkpoint.
        await Expect(audit.VerifyResult).ToContainTextAsync("Chain intact", Slow);
        await Expect(page.GetByTestId("verify-checkpoints")).ToContainTextAsync("checkpoints verified and matched");

        // Act: someone with write access to the database rewrites who approved the promotion and recomputes every later hash.
        await RewriteApprovalAsync(evaluated.Id);
        await audit.VerifyChainAsync();

        // Assert: the checkpoint the DPO signed exposes the rewritten history.
        var verdict = page.GetByTestId("verify-checkpoints");
        await Expect(verdict).ToContainTextAsync("history cannot be trusted", Slow);
        await Expect(verdict).ToContainTextAsync($"hash signed in checkpoint #{checkpointId} at");
        await Expect(verdict).ToContainTextAsync("history was rewritten");
    }

    [GeneratedRegex(@"Checkpoint #(?<id>\d+) signed: entry \d+\.")]
    private static partial Regex SignedCheckpoint();

    private async Task<List<string>> ExportsOfAsync(AuditActor officer)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.Where(e => e.Action == AuditActions.ErasureReportExported.Name && e.ActorId == officer.Id)
            .Select(e => e.DetailsJson).ToListAsync();
    }

    /// <summary>
    /// Rewrites the approval's audit entry (another approver) and recomputes the hash of it and every later entry, so the chain
    /// alone still looks intact: what an insider with database access could do, and only a signed checkpoint can expose.
    /// </summary>
    private async Task RewriteApprovalAsync(PromotionRequestId requestId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var from = await db.AuditEntries.Where(e => e.Action == AuditActions.PromotionApproved.Name && e.SubjectId == requestId.ToString())
            .Select(e => e.Sequence).SingleAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        Execute(connection, transaction, "DROP TRIGGER audit_entries_no_update;");
        var rows = new List<(long Sequence, DateTime Time, string Kind, string ActorId, string ActorName, string Action, string SubjectType, string SubjectId, string Details, string Hash)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT Sequence, TimestampUtc, ActorKind, ActorId, ActorName, Action, SubjectType, SubjectId, DetailsJson, Hash FROM AuditEntries WHERE Sequence >= $from - 1 ORDER BY Sequence";
            read.Parameters.AddWithValue("$from", from);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9)));
            }
        }

        using var hasher = new AuditEntryHasher();
        var previous = rows[0].Hash;
        foreach (var row in rows.Skip(1))
        {
            var actorName = row.Sequence == from ? DemoAccounts.Manager : row.ActorName;
            var hash = hasher.Hash(row.Sequence, row.Time, row.Kind, row.ActorId, actorName, row.Action, row.SubjectType, row.SubjectId, row.Details, previous);
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE AuditEntries SET ActorName = $n, PreviousHash = $p, Hash = $h WHERE Sequence = $s";
            update.Parameters.AddWithValue("$n", actorName);
            update.Parameters.AddWithValue("$p", previous);
            update.Parameters.AddWithValue("$h", hash);
            update.Parameters.AddWithValue("$s", row.Sequence);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
            previous = hash;
        }

        await transaction.CommitAsync();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
