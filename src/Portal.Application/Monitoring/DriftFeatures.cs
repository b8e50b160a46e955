using Portal.Domain.Monitoring;
using Portal.Domain.Registry;

namespace Portal.Application.Monitoring;

/// <summary>One signature feature that drift is measured on.</summary>
public sealed record DriftFeature(string Name, FeatureKind Kind);

/// <summary>
/// Which of a model's input features drift is measured on, and how: numbers (<c>Single</c>, <c>Double</c>, <c>Int32</c>,
/// <c>Int64</c>) as numeric, text and booleans as categorical. Dates and vectors are not compared (no meaningful
/// one-dimensional distribution); their schema violations are still counted by serving.
/// </summary>
public static class DriftFeatures
{
    public static FeatureKind? KindOf(string type) => type switch
    {
        "Single" or "Double" or "Int32" or "Int64" => FeatureKind.Numeric,
        "String" or "ReadOnlyMemory`1" or "Boolean" => FeatureKind.Categorical,
        _ => null,
    };

    /// <summary>The measured features of a signature, in its order.</summary>
    public static IReadOnlyList<DriftFeature> Of(IReadOnlyList<InputFeature> signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return [.. signature.Select(f => (f.Name, Kind: KindOf(f.Type))).Where(f => f.Kind is not null).Select(f => new DriftFeature(f.Name, f.Kind!.Value))];
    }

    /// <summary>A boolean as its category: "true" or "false", however it was written.</summary>
    internal static string BooleanCategory(bool value) => value ? "true" : "false";
}
