using Portal.Domain.Runs;

namespace Portal.Ml.Catalog;

/// <summary>A trainer offered for a task: its name, family and hyperparameters.</summary>
public sealed record TrainerDescriptor(MlTask Task, string Name, TrainerFamily Family, bool NeedsNormalization, IReadOnlyList<HyperparameterSpec> Hyperparameters)
{
    /// <summary>Default values overlaid with the given ones (names compared case-insensitively).</summary>
    public IReadOnlyDictionary<string, double> Resolve(IReadOnlyDictionary<string, double>? given)
    {
        var values = Hyperparameters.ToDictionary(h => h.Name, h => h.Default, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in given ?? new Dictionary<string, double>())
        {
            values[name] = value;
        }

        return values;
    }
}
