using System.Globalization;
using Portal.Domain.Runs;

namespace Portal.Domain.Monitoring;

/// <summary>A production model's health at a glance, as its dashboard and the managers' home show it.</summary>
public enum ModelHealth
{
    /// <summary>No window yet: the model has served no traffic that the monitoring loop has read.</summary>
    NoData,

    Healthy,

    /// <summary>Something to keep an eye on: drifted features, or alerts someone has acknowledged.</summary>
    Watch,

    /// <summary>An open alert of warning or critical severity, or live accuracy (MAE) past the policy's allowed drop.</summary>
    Alert,
}

/// <summary>What a model's health is judged from: its latest window, its champion's validation figure and its active alerts.</summary>
/// <param name="HasWindow">Whether any window was written yet.</param>
/// <param name="IsRegression">Whether the task metric is the mean absolute error (lower is better) rather than accuracy.</param>
/// <param name="Validation">The champion's validation accuracy (or MAE); null when it recorded none.</param>
/// <param name="Live">The latest window's accuracy (or MAE); null without labels.</param>
/// <param name="LabeledRows">Labels behind <paramref name="Live"/>.</param>
/// <param name="DriftedFeatures">Features the latest window found drifted.</param>
/// <param name="OpenAlerts">Open (not yet acknowledged) alerts, and the worst severity among them.</param>
/// <param name="WorstOpenSeverity">The worst severity of the open alerts; null when none is open.</param>
/// <param name="AcknowledgedAlerts">Acknowledged, not yet resolved alerts.</param>
public sealed record ModelHealthInputs(
    bool HasWindow,
    bool IsRegression,
    double? Validation,
    double? Live,
    long LabeledRows,
    int DriftedFeatures,
    int OpenAlerts,
    AlertSeverity? WorstOpenSeverity,
    int AcknowledgedAlerts);

/// <summary>
/// Judges a production model's health: <see cref="ModelHealth.Alert"/> on an open warning or critical alert, or when the live
/// task metric is past the policy's allowed drop from validation on enough labels (the rule the loop raises accuracy alerts
/// by); <see cref="ModelHealth.Watch"/> on drifted features, acknowledged alerts or an open informational one;
/// <see cref="ModelHealth.NoData"/> before the first window; <see cref="ModelHealth.Healthy"/> otherwise. The reason says which.
/// </summary>
public static class ModelHealthRule
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The champion metric live accuracy (or MAE) is compared with: accuracy for binary, micro accuracy (the share right) for multiclass, MAE for regression.</summary>
    public static string ValidationMetricKey(MlTask? task) => task switch
    {
        MlTask.Multiclass => "microAccuracy",
        MlTask.Regression => "meanAbsoluteError",
        _ => "accuracy",
    };

    public static (ModelHealth Health, string Reason) Judge(ModelHealthInputs inputs, MonitoringPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(policy);
        var reasons = new List<string>();
        var breached = MetricBreached(inputs, policy);
        var severe = inputs.OpenAlerts > 0 && inputs.WorstOpenSeverity >= AlertSeverity.Warning;
        if (inputs.OpenAlerts > 0)
        {
            reasons.Add(Count(inputs.OpenAlerts, "open alert"));
        }

        if (breached is not null)
        {
            reasons.Add(breached);
        }

        if (inputs.DriftedFeatures > 0)
        {
            reasons.Add(Count(inputs.DriftedFeatures, "drifted feature"));
        }

        if (inputs.AcknowledgedAlerts > 0)
        {
            reasons.Add(Count(inputs.AcknowledgedAlerts, "acknowledged alert"));
        }

        if (severe || breached is not null)
        {
            return (ModelHealth.Alert, Sentence(reasons));
        }

        if (reasons.Count > 0)
        {
            return (ModelHealth.Watch, Sentence(reasons));
        }

        if (!inputs.HasWindow)
        {
            return (ModelHealth.NoData, "No predictions logged yet.");
        }

        return (ModelHealth.Healthy, inputs.Live is { } live && inputs.Validation is { } validation
            ? $"Live {MetricName(inputs.IsRegression)} {Format(live)} on {inputs.LabeledRows.ToString("#,##0", Invariant)} labels, validation {Format(validation)}; no drift, no alert."
            : "No drift, no alert.");
    }

    public static string MetricName(bool isRegression) => isRegression ? "mean absolute error" : "accuracy";

    /// <summary>The sentence of the breach, or null when the live metric is within the allowed drop (or not judged: too few labels).</summary>
    private static string? MetricBreached(ModelHealthInputs inputs, MonitoringPolicy policy)
    {
        if (inputs.Live is not { } live || inputs.Validation is not { } validation || inputs.LabeledRows < policy.MinimumLabels)
        {
            return null;
        }

        if (inputs.IsRegression)
        {
            var limit = validation * (1 + policy.AccuracyDrop);
            return live > limit ? $"live MAE {Format(live)} above validation {Format(validation)} by more than {(policy.AccuracyDrop * 100).ToString("0.#", Invariant)} %" : null;
        }

        var points = (validation - live) * 100;
        return validation - live > policy.AccuracyDrop
            ? $"live accuracy {Format(live)} is {points.ToString("0.#", Invariant)} points below validation {Format(validation)}"
            : null;
    }

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private static string Sentence(List<string> parts)
    {
        var text = string.Join("; ", parts);
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    private static string Format(double value) => value.ToString("0.###", Invariant);
}
