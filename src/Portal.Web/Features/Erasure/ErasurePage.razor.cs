using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Application.Privacy;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Security;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Erasure;

/// <summary>The DPO's erasure search, its report and the mark for erasure; and the versions past their retention with their purge.</summary>
public sealed partial class ErasurePage : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private List<(DatasetId Id, string Name)> datasets = [];
    private List<string> columns = [];
    private DatasetId? datasetId;
    private string? column;
    private string? subjectValue;
    private string? error;
    private ErasureImpactReport? report;
    private IReadOnlyList<RetentionRow> retention = [];
    private bool mayManage;
    private AuditActor actor = null!;

    [Inject]
    private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private ErasureImpact Impact { get; set; } = default!;

    [Inject]
    private ErasureMarking Marking { get; set; } = default!;

    [Inject]
    private DatasetRetention Retention { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        actor = user.ToAuditActor();
        mayManage = AuthorizationMatrix.IsAllowed(Policies.ManageDataProtection, user.RoleNames());
        await using (var db = await DbFactory.CreateDbContextAsync(disposed.Token))
        {
            datasets = [.. (await db.Datasets.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(disposed.Token))
                .Select(d => (d.Id, d.Name))];
        }

        retention = await Retention.ListDueAsync(disposed.Token);
    }

    private async Task OnDatasetChangedAsync(DatasetId? id)
    {
        datasetId = id;
        column = null;
        await using var db = await DbFactory.CreateDbContextAsync(disposed.Token);
        var latest = await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == id).OrderByDescending(v => v.Version).Select(v => v.Id)
            .FirstOrDefaultAsync(disposed.Token);
        columns = await db.DatasetColumns.AsNoTracking().Where(c => c.DatasetVersionId == latest).OrderBy(c => c.Ordinal).Select(c => c.Name).ToListAsync(disposed.Token);
    }

    private async Task SearchAsync()
    {
        var found = await Impact.OfSubjectAsync(column, subjectValue, disposed.Token);
        error = found.Succeeded ? null : found.Error;
        report = found.Value;
    }

    private string ExportHref(string format) =>
        $"api/erasure/report.{format}?column={Uri.EscapeDataString(report?.Column ?? "")}&keyHash={report?.KeyHash}";

    private async Task MarkAsync()
    {
        if (report is not { } current)
        {
            return;
        }

        var summary = $"{current.DatasetVersions.Count} dataset version(s) holding this subject will be marked for erasure; "
            + $"{current.ModelVersions.Select(m => m.Model).Distinct().Count()} model(s) learned from them and those serving in Production get a retrain-required task.";
        var dialog = await Dialogs.ShowAsync<MarkForErasureDialog>("Mark for erasure",
            new DialogParameters<MarkForErasureDialog> { { d => d.Summary, summary } });
        if (await dialog.Result is not { Canceled: false, Data: string reason })
        {
            return;
        }

        var marked = await Marking.MarkAsync(new MarkForErasure(current.Column, subjectValue, null, reason), actor, disposed.Token);
        if (!marked.Succeeded)
        {
            Snackbar.Add(marked.Error!, Severity.Warning);
            return;
        }

        Snackbar.Add($"Marked {marked.Value!.DatasetVersionIds.Count} version(s); retraining required for {marked.Value.RetrainModels.Count} model(s).", Severity.Success);
        await SearchAsync();
    }

    private async Task PurgeAsync(RetentionRow row)
    {
        var dialog = await Dialogs.ShowAsync<PurgeDialog>("Purge dataset version",
            new DialogParameters<PurgeDialog> { { d => d.Dataset, row.Dataset }, { d => d.Version, row.Version } });
        if (await dialog.Result is not { Canceled: false, Data: string reason })
        {
            return;
        }

        var purged = await Retention.PurgeAsync(new PurgeDatasetVersion(row.VersionId, true, reason), actor, disposed.Token);
        Snackbar.Add(purged.Succeeded ? $"{row.Dataset} v{row.Version} purged." : purged.Error!, purged.Succeeded ? Severity.Success : Severity.Warning);
        retention = await Retention.ListDueAsync(disposed.Token);
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
