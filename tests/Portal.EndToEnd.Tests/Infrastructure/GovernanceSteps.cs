using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Datasets;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.EndToEnd.Tests.TestData;
using Portal.Web.Features.Datasets;

namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What the governance journeys do through the app's own services rather than the browser: act as a demo account,
/// upload and classify data, train on the embedded worker, wait for evaluations, read the audit trail.
/// </summary>
public sealed class GovernanceSteps(IServiceProvider services)
{
    public async Task<AuditActor> ActorAsync(string email)
    {
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        return AuditActor.User(user!.Id, email);
    }

    /// <summary>Uploads a dataset and has the DPO confirm the detector's suggestions (suspected columns personal, the rest not).</summary>
    public async Task<DatasetVersionDto> UploadAsync(string name, byte[] csv, AuditActor scientist, AuditActor officer)
    {
        using var content = new MemoryStream(csv);
        var uploaded = await services.GetRequiredService<DatasetService>().UploadAsync(name, $"{name}.csv", content, scientist, default);
        Assert.True(uploaded.Succeeded, uploaded.Error);
        var confirmed = await services.GetRequiredService<ColumnClassification>().ConfirmSuggestionsAsync(uploaded.Value!.DatasetId, uploaded.Value.Version,
            officer, [Roles.DataProtectionOfficer], default);
        Assert.True(confirmed.Succeeded, confirmed.Error);
        return uploaded.Value;
    }

    /// <summary>Submits a LightGbm churn classifier on <paramref name="dataset"/> to the embedded worker.</summary>
    public async Task<RunId> TrainAsync(string experiment, DatasetVersionDto dataset, AuditActor scientist)
    {
        var submitted = await services.GetRequiredService<RunSubmission>().SubmitAsync(new SubmitRun(experiment, dataset.DatasetId, dataset.Version,
            ChurnCsvBuilder.Label, MlTask.Binary, "LightGbm", new Dictionary<string, double> { ["numberOfIterations"] = 60 }, 0.2, 7), scientist, default);
        Assert.True(submitted.Succeeded, submitted.Error);
        return submitted.Value;
    }

    public async Task WaitForRunsAsync(params RunId[] runIds)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var statuses = await db.Runs.Where(r => runIds.Contains(r.Id)).Select(r => r.Status).ToListAsync();
            if (statuses.Count == runIds.Length && statuses.All(s => s == RunStatus.Succeeded))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline && !statuses.Any(s => s is RunStatus.Failed or RunStatus.Cancelled), $"runs: {string.Join(", ", statuses)}");
            await Task.Delay(500);
        }
    }

    /// <summary>The request once the worker has evaluated it (no longer <see cref="PromotionStatus.Evaluating"/>).</summary>
    public async Task<PromotionRequest> EvaluatedAsync(PromotionRequestId id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var request = await db.PromotionRequests.AsNoTracking().FirstAsync(r => r.Id == id);
            if (request.Status != PromotionStatus.Evaluating)
            {
                return request;
            }

            Assert.True(DateTime.UtcNow < deadline, "the worker did not evaluate the request in time");
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// The one rollout of <paramref name="model"/> (of its version <paramref name="canaryVersion"/>, when given), once it has
    /// started: polled every 250 ms up to <paramref name="within"/>.
    /// </summary>
    public async Task<RolloutId> RolloutAsync(string model, int? canaryVersion, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var ids = await db.Rollouts
                .Where(r => db.RegisteredModels.Any(m => m.Id == r.ModelId && m.Name == model) && (canaryVersion == null || r.CanaryVersionNumber == canaryVersion))
                .Select(r => r.Id).ToListAsync();
            if (ids.Count == 1)
            {
                return ids[0];
            }

            Assert.True(DateTime.UtcNow < deadline, $"no rollout of {model} {canaryVersion} started within {within}");
            await Task.Delay(250);
        }
    }

    public async Task<List<string>> AuditAsync(string action, string subjectId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.Where(e => e.Action == action && e.SubjectId == subjectId).Select(e => e.DetailsJson).ToListAsync();
    }
}
