using System.Globalization;
using Portal.Domain.Runs;

namespace Portal.Ml.Catalog;

/// <summary>
/// What a managed run's steps are and why its curve ends where it does, said for people: "75 of 100 boosting rounds"
/// needs the reason next to it. The reasons are the ones the trainer really has (see <see cref="Training.ModelTrainer"/>).
/// </summary>
public static class TrainingSteps
{
    /// <summary>The hyperparameter that caps a trainer's steps, or null for a trainer not in the catalogue.</summary>
    public static string? BudgetParameter(TrainerDescriptor trainer) =>
        trainer.Hyperparameters.Select(h => h.Name).FirstOrDefault(n => n is "numberOfIterations" or "numberOfTrees" or "maximumNumberOfIterations");

    /// <summary>
    /// One sentence on the steps of a run's curve, or null when there is nothing to explain (an external run, a trainer
    /// Portal does not know, or no curve yet).
    /// </summary>
    public static string? Explain(MlTask? task, string? trainerName, IReadOnlyDictionary<string, double> hyperparameters, long? lastStep, RunStatus status, string? failureReason)
    {
        if (task is null || trainerName is null || lastStep is not { } last || TrainerCatalog.Find(task.Value, trainerName) is not { } trainer
            || BudgetParameter(trainer) is not { } budgetName)
        {
            return null;
        }

        var budget = (long)trainer.Resolve(hyperparameters)[budgetName];
        var steps = Plural(last, trainer.Family switch
        {
            TrainerFamily.TreeEnsemble => "boosting round",
            TrainerFamily.WarmStartLinear => "L-BFGS iteration",
            _ => "epoch",
        });
        var of = $"{steps} of the {budget.ToString(CultureInfo.InvariantCulture)} allowed by {budgetName}";
        if (status is RunStatus.Queued or RunStatus.Running)
        {
            return $"{of} so far.";
        }

        if (status == RunStatus.Cancelled)
        {
            return $"{of}: the run was cancelled there.";
        }

        if (status == RunStatus.Failed)
        {
            return failureReason is not null && failureReason.Contains("ExplodingLoss", StringComparison.Ordinal)
                ? $"{of}: training stopped there because the loss exploded (see Diagnostics)."
                : $"{of}: training stopped there when the run failed.";
        }

        if (last >= budget)
        {
            return trainer.Family == TrainerFamily.EpochLinear
                ? $"{of}. Points are at 1, 2, 4, … epochs: SDCA cannot resume, so each point is a model fitted from scratch for that many epochs."
                : $"{of}: the whole budget was used.";
        }

        return trainer.Family switch
        {
            TrainerFamily.TreeEnsemble when trainer.Name == TrainerCatalog.LightGbm =>
                $"{of}: LightGBM stopped adding trees after {last.ToString(CultureInfo.InvariantCulture)} because no leaf could be split further under the split requirements "
                + "(numberOfLeaves, minimumExampleCountPerLeaf); more rounds would not have changed the model. This is not early stopping on the validation data.",
            TrainerFamily.TreeEnsemble =>
                $"{of}: the fitted ensemble holds only {last.ToString(CultureInfo.InvariantCulture)} trees (the trainer ended before its budget), and the curve has one point per tree.",
            TrainerFamily.WarmStartLinear =>
                $"{of}: the training loss stopped changing by more than optimizationTolerance (converged), so further iterations would repeat the same point.",
            _ => $"{of}.",
        };
    }

    private static string Plural(long count, string noun) => $"{count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? "" : "s")}";
}
