using Microsoft.EntityFrameworkCore;
using Portal.Application.Datasets;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;

namespace Portal.Application.Runs;

/// <summary>
/// Submits a managed run: validates it against the dataset version and the trainer catalogue, queues it, and wakes
/// the training host. The new run page, the API and any host that retrains submit through here.
/// </summary>
public sealed class RunSubmission(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TrainingQueueSignal signal, TimeProvider time)
{
    private readonly NewRuns newRuns = new(dbFactory, audit, time);

    public const double DefaultValidationFraction = 0.2;
    public const double MinValidationFraction = 0.05;
    public const double MaxValidationFraction = 0.5;
    public const int DefaultSeed = 42;

    /// <summary>More distinct values than this are not a set of classes.</summary>
    public const int MaxClasses = 1000;

    /// <summary>Labels with at most this many distinct numbers are suggested as classes (ratings 1–5), more as a quantity to regress.</summary>
    public const int MaxClassesOfANumericLabel = 10;

    /// <summary>Why a validation fraction is refused (the form and the API say the same); null when it is allowed. Never clamped.</summary>
    public static string? ValidationFractionProblem(double fraction) =>
        double.IsFinite(fraction) && fraction is >= MinValidationFraction and <= MaxValidationFraction
            ? null
            : $"validationFraction must be between {MinValidationFraction} and {MaxValidationFraction} (the share of rows held out to validate); got {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}.";

    /// <summary>Why a seed is refused; null when it is allowed.</summary>
    public static string? SeedProblem(int seed) => seed < 0 ? "seed must be zero or positive." : null;

    /// <summary>
    /// The task a label's profile suggests: two values are binary, a few discrete values multiclass, a numeric
    /// quantity regression; null when the column cannot be a label (all missing, one value, free text).
    /// </summary>
    public static MlTask? SuggestTask(ColumnProfile label) => label switch
    {
        { Count: 0 } or { Distinct: < 2 } => null,
        { Distinct: 2 } => MlTask.Binary,
        { Type: ColumnType.Numeric, Distinct: > MaxClassesOfANumericLabel } => MlTask.Regression,
        { Type: ColumnType.Text } or { Distinct: > MaxClasses } => null,
        _ => MlTask.Multiclass,
    };

    public async Task<OperationResult<RunId>> SubmitAsync(SubmitRun command, AuditActor submitter, CancellationToken cancellationToken)
    {
        var submitted = await newRuns.AddAsync(command.Experiment, command.DatasetId, command.DatasetVersion, submitter,
            (experiment, version, now) =>
            {
                if (version is null)
                {
                    return Fail("datasetId (and datasetVersion, default latest) is required for a managed run.");
                }

                if (version.IsPurged)
                {
                    return OperationResult<Run>.Fail(OperationStatus.Conflict,
                        $"Version {version.Version} of this dataset was purged by the data protection officer on {version.PurgedUtc:yyyy-MM-dd} UTC: its content is gone, so nothing can train on it. Choose another version.");
                }

                if (command.Task is not { } task)
                {
                    return Fail("task is required: binary, multiclass or regression.");
                }

                if (Problem(command, version, task) is { } problem)
                {
                    return Fail(problem);
                }

                var trainer = TrainerCatalog.Find(task, command.Trainer!)!;
                return OperationResult<Run>.Ok(Run.SubmitManaged(experiment.Id, version.Id, version.Sha256, task, trainer.Name,
                    command.LabelColumn!, trainer.Resolve(command.Hyperparameters), command.ValidationFraction ?? DefaultValidationFraction,
                    command.Seed ?? DefaultSeed, submitter.Id, submitter.Name, now));
            },
            cancellationToken);
        if (submitted.Succeeded)
        {
            signal.Notify();
        }

        return submitted;
    }

    /// <summary>What makes the run untrainable on that version, said so that the submitter can fix it; null when it can train.</summary>
    private static string? Problem(SubmitRun command, DatasetVersion version, MlTask task)
    {
        if (string.IsNullOrWhiteSpace(command.LabelColumn))
        {
            return "labelColumn is required.";
        }

        var label = version.Columns.FirstOrDefault(c => c.Name == command.LabelColumn);
        if (label is null)
        {
            return $"labelColumn '{command.LabelColumn}' does not exist in version {version.Version}. Columns: {string.Join(", ", version.Columns.OrderBy(c => c.Ordinal).Select(c => c.Name))}.";
        }

        if (command.ValidationFraction is { } fraction && ValidationFractionProblem(fraction) is { } fractionProblem)
        {
            return fractionProblem;
        }

        if (command.Seed is { } seed && SeedProblem(seed) is { } seedProblem)
        {
            return seedProblem;
        }

        var errors = TrainerCatalog.Validate(task, command.Trainer ?? "", command.Hyperparameters);
        if (errors.Count > 0)
        {
            return string.Join(" ", errors);
        }

        var profile = DatasetProfiles.Read(version).FirstOrDefault(p => p.Name == label.Name);
        return profile is null ? null : LabelFitError(task, label.Name, profile);
    }

    private static string? LabelFitError(MlTask task, string name, ColumnProfile label) => (task, label) switch
    {
        (_, { Count: 0 }) => $"The label column '{name}' is all missing.",
        (MlTask.Binary, { Distinct: not 2 }) => $"A binary task needs a label with exactly two values; '{name}' has {label.Distinct}.",
        (MlTask.Multiclass, { Distinct: < 2 }) => $"A multiclass task needs a label with at least two values; '{name}' has {label.Distinct}.",
        (MlTask.Multiclass, { Type: ColumnType.Text } or { Distinct: > MaxClasses }) => $"'{name}' has {label.Distinct} distinct values: that is not a set of classes.",
        (MlTask.Regression, { Type: not ColumnType.Numeric }) => $"A regression task needs a numeric label; '{name}' is {label.Type.ToString().ToLowerInvariant()}.",
        _ => null,
    };

    private static OperationResult<Run> Fail(string message) => OperationResult<Run>.Fail(OperationStatus.Invalid, message);
}
