using System.Globalization;
using Portal.Domain.Runs;

namespace Portal.Ml.Training.LightGbm;

/// <summary>
/// The LightGBM parameters ML.NET 5's LightGbm trainers pass to the native library for the options the portal sets
/// (see <see cref="TrainerFactory"/>: learning rate, iterations, leaves, minimum rows per leaf, L2 regularization, no
/// categorical splits, the run's seed, silent), by the same names and with the same values, in the same order:
/// the gradient booster's options, the trainer base's, the task trainer's, then what ML.NET sets once it has read the
/// data (learning rate, leaves, minimum rows per leaf, objective, classes). A test compares them with the parameters
/// ML.NET's own trainer used.
/// </summary>
internal static class LightGbmParameters
{
    /// <summary>ML.NET's multiclass LightGbm uses softmax from this many training rows on, one-versus-all below.</summary>
    public const int SoftmaxFromRows = 50_000;

    /// <summary>ML.NET's default sigmoid for LightGbm's binary and one-versus-all objectives.</summary>
    public const double Sigmoid = 0.5;

    public static IReadOnlyList<KeyValuePair<string, object>> For(MlTask task, IReadOnlyDictionary<string, double> hp, int seed, int trainRows, int classes)
    {
        List<KeyValuePair<string, object>> p =
        [
            // GradientBooster.Options (ML.NET's defaults but L2).
            new("min_split_gain", 0.0),
            new("max_depth", 0),
            new("min_child_weight", 0.1),
            new("subsample_freq", 0),
            new("subsample", 1.0),
            new("feature_fraction", 1.0),
            new("reg_lambda", hp["l2Regularization"]),
            new("reg_alpha", 0.0),
            new("boosting_type", "gbdt"),
            new("verbose", "-1"),
            new("seed", seed),
            new("max_bin", 255),
            new("use_missing", true),
            new("zero_as_missing", false),
            new("min_data_per_group", 100),
            new("max_cat_threshold", 32),
            new("cat_smooth", 10.0),
            new("cat_l2", 10.0),
            new("deterministic", false),
            new("force_col_wise", false),
            new("force_row_wise", false),
        ];
        switch (task)
        {
            case MlTask.Binary:
                p.AddRange([new("unbalanced_sets", false), new("scale_pos_weight", 1.0), new("sigmoid", Sigmoid), new("metric", "binary_logloss")]);
                break;
            case MlTask.Multiclass:
                p.AddRange([new("unbalanced_sets", false), new("sigmoid", Sigmoid), new("metric", "multi_error")]);
                break;
            default:
                p.Add(new("metric", "rmse"));
                break;
        }

        p.AddRange(
        [
            new("learning_rate", hp["learningRate"]),
            new("num_leaves", (int)hp["numberOfLeaves"]),
            new("min_data_per_leaf", (int)hp["minimumExampleCountPerLeaf"]),
        ]);
        switch (task)
        {
            case MlTask.Binary:
                p.Add(new("objective", "binary"));
                break;
            case MlTask.Multiclass:
                p.Add(new("num_class", classes));
                p.Add(new("objective", trainRows >= SoftmaxFromRows ? "multiclass" : "multiclassova"));
                break;
            default:
                p.Add(new("objective", "regression"));
                break;
        }

        return p;
    }

    /// <summary>The parameters as the native library reads them ("name=value" separated by spaces, as ML.NET joins them).</summary>
    public static string Join(IEnumerable<KeyValuePair<string, object>> parameters) =>
        string.Join(" ", parameters.Select(p => p.Key + "=" + string.Format(CultureInfo.InvariantCulture, "{0}", p.Value)));
}
