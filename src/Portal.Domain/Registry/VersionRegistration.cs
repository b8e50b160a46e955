using System.Text.RegularExpressions;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Domain.Text;

namespace Portal.Domain.Registry;

/// <summary>The facts a new <see cref="ModelVersion"/> is registered from, read off a succeeded run and its model file.</summary>
public sealed partial record VersionRegistration(
    RunId RunId,
    string RunSubmittedBy,
    IReadOnlyList<DatasetVersionId> DatasetVersionIds,
    IReadOnlyList<InputFeature> InputSignature,
    IReadOnlyDictionary<string, double> Metrics,
    string ModelSha256)
{
    public const int MaxFeatureNameLength = 256;
    public const int MaxFeatureTypeLength = 128;
    public const int MaxMetricNameLength = 128;

    /// <summary>What is wrong with the registration, said so that the caller can fix it; null when valid.</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(RunSubmittedBy))
        {
            return "The run's submitter is required (the four-eyes rule needs it).";
        }

        if (ModelSha256 is null || !Sha256Hex().IsMatch(ModelSha256))
        {
            return "The model's SHA-256 must be 64 lower-case hexadecimal characters.";
        }

        if (InputSignature is null || InputSignature.Count == 0)
        {
            return "The input signature is required: the features the model reads, with their types.";
        }

        foreach (var feature in InputSignature)
        {
            if ((TextRule.NameProblem("A feature name", feature.Name, MaxFeatureNameLength)
                 ?? TextRule.NameProblem($"The type of feature {feature.Name}", feature.Type, MaxFeatureTypeLength)) is { } problem)
            {
                return problem;
            }
        }

        if (InputSignature.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"The input signature names feature {twice.Key} twice.";
        }

        foreach (var (name, value) in Metrics ?? new Dictionary<string, double>())
        {
            if (TextRule.NameProblem("A metric name", name, MaxMetricNameLength) is { } problem)
            {
                return problem;
            }

            if (!double.IsFinite(value))
            {
                return $"Metric {name} must be a finite number; it is {value}.";
            }
        }

        return DatasetVersionIds is null ? "The dataset versions are required (an empty list when the run used none)." : null;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    internal static partial Regex Sha256Hex();
}
