using System.Text.Json;
using Portal.Application.Runs;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;

namespace Portal.Web.Features.Runs.Submission;

/// <summary>
/// Body of <c>POST /api/runs</c>: a managed run to train, or with <c>"mode":"external"</c> a run to log into. The
/// API edge alone reads these JSON shapes (a task as text, hyperparameters as any JSON value) into typed commands.
/// </summary>
public sealed record SubmitRunRequest(
    string? Experiment,
    Guid? DatasetId,
    int? DatasetVersion,
    string? LabelColumn,
    string? Task,
    string? Trainer,
    Dictionary<string, JsonElement>? Hyperparameters,
    double? ValidationFraction,
    int? Seed,
    string? Mode)
{
    public bool IsExternal => string.Equals(Mode, "external", StringComparison.OrdinalIgnoreCase);

    /// <summary>What in the body cannot become a command, said so that the caller can fix it; null when it can.</summary>
    public string? ShapeProblem()
    {
        if (!IsExternal && Mode is not null && !string.Equals(Mode, "managed", StringComparison.OrdinalIgnoreCase))
        {
            return "mode must be 'managed' (the default) or 'external'.";
        }

        if (Task is not null && ParseTask(Task) is null)
        {
            return "task must be binary, multiclass or regression.";
        }

        foreach (var (name, value) in IsExternal ? [] : Hyperparameters ?? [])
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out _))
            {
                return $"Hyperparameter '{name}' must be a number.";
            }
        }

        return null;
    }

    /// <summary>The managed run; call after <see cref="ShapeProblem"/> found nothing.</summary>
    public SubmitRun ToSubmitRun()
    {
        var hyperparameters = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Hyperparameters ?? [])
        {
            hyperparameters[name] = value.GetDouble();
        }

        return new SubmitRun(Experiment, Dataset, DatasetVersion, LabelColumn, ParseTask(Task), Trainer, hyperparameters, ValidationFraction, Seed);
    }

    /// <summary>The external run; call after <see cref="ShapeProblem"/> found nothing.</summary>
    public StartExternalRun ToStartExternalRun() => new(Experiment, Dataset, DatasetVersion, ParseTask(Task), Trainer, LabelColumn);

    private DatasetId? Dataset => DatasetId is { } id ? new DatasetId(id) : null;

    // Names only: Enum.TryParse would also take "1" or "7".
    private static MlTask? ParseTask(string? task) =>
        task is not null && !int.TryParse(task, out _) && Enum.TryParse<MlTask>(task, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
}
