using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Experiments;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;
using Portal.Domain.Text;

namespace Portal.Application.Runs;

/// <summary>
/// What every new run shares, managed or external: the experiment named by its submitter (created with the run when
/// absent), the dataset version it names, the audit entry, and one save for all of them.
/// </summary>
internal sealed class NewRuns(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time, OpenLineageRunEvents? lineage = null)
{
    /// <summary>Builds the run from the resolved experiment and dataset version; a failure is returned as the submission's answer.</summary>
    public delegate OperationResult<Run> Build(Experiment experiment, DatasetVersion? version, DateTimeOffset now);

    public Task<OperationResult<RunId>> AddAsync(string? experimentName, DatasetId? datasetId, int? datasetVersion, AuditActor actor, Build build,
        CancellationToken cancellationToken) =>
        AddAsync(experimentName?.Trim() ?? "", datasetId, datasetVersion, actor, build, retried: false, cancellationToken);

    private async Task<OperationResult<RunId>> AddAsync(string experimentName, DatasetId? datasetId, int? datasetVersion, AuditActor actor, Build build,
        bool retried, CancellationToken cancellationToken)
    {
        if (Experiment.NameProblem(experimentName, "experiment") is { } nameProblem)
        {
            return Invalid($"{nameProblem} (The experiment is created if absent.)");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        DatasetVersion? version = null;
        if (datasetId is { } id)
        {
            var number = datasetVersion ?? await db.Datasets.Where(d => d.Id == id).Select(d => (int?)d.LatestVersion).FirstOrDefaultAsync(cancellationToken);
            version = await db.DatasetVersions.Include(v => v.Columns)
                .FirstOrDefaultAsync(v => v.DatasetId == id && v.Version == number, cancellationToken);
            if (version is null)
            {
                return Invalid($"Dataset {id} has no version {datasetVersion?.ToString(CultureInfo.InvariantCulture) ?? "(latest)"}.");
            }
        }

        // Added to the context now, saved only with the run: a refused submission creates no experiment.
        var now = time.GetUtcNow();
        // Names are one experiment whatever their case: a run for "churn" joins "Churn" (the exact name first, for names
        // that differed only in case before they were compared so, see migration ExperimentNamesIgnoreCase).
        var normalized = TextRule.NormalizedName(experimentName);
        var experiment = await db.Experiments.Where(e => e.Name == experimentName || e.NormalizedName == normalized)
            .OrderByDescending(e => e.Name == experimentName).FirstOrDefaultAsync(cancellationToken);
        var newExperiment = experiment is null;
        if (experiment is null)
        {
            experiment = Experiment.Create(experimentName, "", actor.Id, now);
            db.Experiments.Add(experiment);
            audit.RecordCreated(db, experiment, actor);
        }

        var built = build(experiment, version, now);
        if (!built.Succeeded)
        {
            return built.FailAs<RunId>();
        }

        var run = built.Value!;
        db.Runs.Add(run);
        audit.Record(db, actor, AuditActions.RunSubmitted, AuditSubject.Run(run.Id), new
        {
            experiment = experiment.Name,
            mode = run.Mode.ToString(),
            dataset = version?.Sha256,
            task = run.Task?.ToString(),
            run.Trainer,
            run.LabelColumn,
            hyperparameters = run.Hyperparameters,
            run.ValidationFraction,
            run.Seed,
        });
        // An external run starts Running: its OpenLineage START goes out with it (a managed run's, when a worker claims it).
        if (run.Status == RunStatus.Running && lineage is not null)
        {
            await lineage.EnqueueAsync(db, run, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (newExperiment && !retried)
        {
            // Another submission (a parallel sweep) or the experiments page created the same name first: the unique
            // index refused ours, and nothing of this submission was saved. Submit again into the experiment now there.
            return await AddAsync(experimentName, datasetId, datasetVersion, actor, build, retried: true, cancellationToken);
        }

        return OperationResult<RunId>.Ok(run.Id);
    }

    private static OperationResult<RunId> Invalid(string error) => OperationResult<RunId>.Fail(OperationStatus.Invalid, error);
}
