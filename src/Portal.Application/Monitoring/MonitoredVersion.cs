using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Application.Monitoring;

/// <summary>
/// One monitored input feature, with what its training data allows: the minimum–maximum of a numeric feature, and the values
/// of a categorical one (null when the training profile does not list every value, so unseen values cannot be told).
/// </summary>
public sealed record MonitoredFeature(string Name, FeatureKind Kind, double? Min, double? Max, IReadOnlySet<string>? KnownValues);

/// <summary>
/// What the loop knows of the version that answered a window: its task, the features it reads (those drift and quality are
/// judged on), its validation metric (the bar live accuracy is held to), the edges of the regression prediction buckets, and
/// why its training reference could not be read, if it could not.
/// </summary>
public sealed record MonitoredVersion(
    ModelVersionId Id,
    int Number,
    MlTask Task,
    IReadOnlyList<MonitoredFeature> Features,
    double? ValidationAccuracy,
    double? ValidationMeanAbsoluteError,
    IReadOnlyList<double> ScoreBucketEdges,
    string? ReferenceProblem)
{
    public bool IsRegression => Task == MlTask.Regression;

    /// <summary>The bar of the accuracy rule: the version's validation accuracy (binary: accuracy; multiclass: micro accuracy, the share right) or MAE.</summary>
    public static (double? Accuracy, double? MeanAbsoluteError) ValidationMetric(ModelVersion version, MlTask task)
    {
        ArgumentNullException.ThrowIfNull(version);
        double? Read(string key) => version.Metrics.TryGetValue(key, out var value) && double.IsFinite(value) ? value : null;
        return task switch
        {
            MlTask.Binary => (Read("accuracy"), null),
            MlTask.Multiclass => (Read("microAccuracy") ?? Read("accuracy"), null),
            _ => (null, Read("meanAbsoluteError")),
        };
    }
}
