using System.Globalization;
using Portal.Domain.Formatting;
using Portal.Domain.Runs;

namespace Portal.Ml.Catalog;

/// <summary>
/// The trainers a run may use, per task, with their hyperparameters and ranges. Ranges guard type and sign
/// (and absurd magnitudes), not good taste: a learning rate of 500 is accepted so that the run itself shows
/// the divergence and the ExplodingLoss diagnostic stops it.
/// </summary>
public static class TrainerCatalog
{
    public const string LightGbm = "LightGbm";
    public const string FastTree = "FastTree";
    public const string SdcaLogisticRegression = "SdcaLogisticRegression";
    public const string LbfgsLogisticRegression = "LbfgsLogisticRegression";
    public const string SdcaMaximumEntropy = "SdcaMaximumEntropy";
    public const string Sdca = "Sdca";

    private static readonly HyperparameterSpec LearningRate = new("learningRate", false, 0.1, 0.0001, 1000, "Shrinkage applied to each tree.");
    private static readonly HyperparameterSpec Leaves = new("numberOfLeaves", true, 20, 2, 1024, "Maximum leaves per tree.");
    private static readonly HyperparameterSpec MinLeaf = new("minimumExampleCountPerLeaf", true, 10, 1, 100000, "Minimum rows in a leaf.");
    private static readonly HyperparameterSpec L2 = new("l2Regularization", false, 0, 0, 1000, "L2 penalty on weights.");

    private static readonly HyperparameterSpec[] LightGbmParameters =
    [
        LearningRate,
        new("numberOfIterations", true, 100, 1, 10000, "Boosting rounds (trees per class)."),
        Leaves,
        MinLeaf,
        L2,
    ];

    private static readonly HyperparameterSpec[] FastTreeParameters =
    [
        LearningRate with { Default = 0.2 },
        new("numberOfTrees", true, 100, 1, 10000, "Number of trees."),
        Leaves,
        MinLeaf,
    ];

    private static readonly HyperparameterSpec[] SdcaParameters =
    [
        new("maximumNumberOfIterations", true, 8, 1, 1000, "Passes (epochs) over the data."),
        new("l2Regularization", false, 1e-4, 0, 1000, "L2 penalty on weights."),
        new("l1Regularization", false, 0, 0, 1000, "L1 penalty on weights."),
        new("convergenceTolerance", false, 0.1, 1e-6, 1, "Stop once the duality gap is this fraction of the loss (ML.NET's default 0.1 stops early on easy data)."),
    ];

    private static readonly HyperparameterSpec[] LbfgsParameters =
    [
        new("maximumNumberOfIterations", true, 100, 1, 10000, "L-BFGS iterations."),
        new("l2Regularization", false, 1, 0, 1000, "L2 penalty on weights."),
        new("l1Regularization", false, 1, 0, 1000, "L1 penalty on weights."),
        new("optimizationTolerance", false, 1e-7, 1e-12, 1, "Stop when the relative loss change falls below this."),
    ];

    /// <summary>All trainers, per task.</summary>
    public static IReadOnlyList<TrainerDescriptor> All { get; } =
    [
        new(MlTask.Binary, LightGbm, TrainerFamily.TreeEnsemble, false, LightGbmParameters),
        new(MlTask.Binary, FastTree, TrainerFamily.TreeEnsemble, false, FastTreeParameters),
        new(MlTask.Binary, SdcaLogisticRegression, TrainerFamily.EpochLinear, true, SdcaParameters),
        new(MlTask.Binary, LbfgsLogisticRegression, TrainerFamily.WarmStartLinear, true, LbfgsParameters),
        new(MlTask.Multiclass, LightGbm, TrainerFamily.TreeEnsemble, false, LightGbmParameters),
        new(MlTask.Multiclass, SdcaMaximumEntropy, TrainerFamily.EpochLinear, true, SdcaParameters),
        new(MlTask.Regression, LightGbm, TrainerFamily.TreeEnsemble, false, LightGbmParameters),
        new(MlTask.Regression, FastTree, TrainerFamily.TreeEnsemble, false, FastTreeParameters),
        new(MlTask.Regression, Sdca, TrainerFamily.EpochLinear, true, SdcaParameters),
    ];

    /// <summary>The trainers valid for a task.</summary>
    public static IReadOnlyList<TrainerDescriptor> ForTask(MlTask task) => All.Where(t => t.Task == task).ToList();

    /// <summary>The trainer with this name for this task, or null.</summary>
    public static TrainerDescriptor? Find(MlTask task, string trainer) =>
        All.FirstOrDefault(t => t.Task == task && string.Equals(t.Name, trainer, StringComparison.OrdinalIgnoreCase));

    /// <summary>Checks a trainer choice and its hyperparameters; returns readable errors (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(MlTask task, string trainer, IReadOnlyDictionary<string, double>? hyperparameters)
    {
        var errors = new List<string>();
        var taskName = task.ToString().ToLowerInvariant();
        if (!All.Any(t => string.Equals(t.Name, trainer, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"Unknown trainer '{trainer}'. Known trainers: {string.Join(", ", All.Select(t => t.Name).Distinct())}.");
            return errors;
        }

        var descriptor = Find(task, trainer);
        if (descriptor is null)
        {
            errors.Add($"Trainer '{trainer}' is not available for {taskName} tasks. Use one of: {string.Join(", ", ForTask(task).Select(t => t.Name))}.");
            return errors;
        }

        foreach (var (name, value) in hyperparameters ?? new Dictionary<string, double>())
        {
            var spec = descriptor.Hyperparameters.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
            if (spec is null)
            {
                errors.Add($"Unknown hyperparameter '{name}' for {descriptor.Name}. Known: {string.Join(", ", descriptor.Hyperparameters.Select(h => h.Name))}.");
                continue;
            }

            if (double.IsNaN(value) || value < spec.Min || value > spec.Max)
            {
                errors.Add($"{spec.Name} must be between {Format(spec.Min)} and {Format(spec.Max)}; got {Format(value)}.");
            }
            else if (spec.IsInteger && value != Math.Floor(value))
            {
                errors.Add($"{spec.Name} must be a whole number; got {Format(value)}.");
            }
        }

        return errors;
    }

    // As typed in JSON (1000, 0.0001), except where "G" would write E-notation (1E-06): then as people read it.
    private static string Format(double value)
    {
        var text = value.ToString("G", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) ? NumberText.Format(value) : text;
    }
}
