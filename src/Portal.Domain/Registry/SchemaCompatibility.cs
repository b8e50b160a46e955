namespace Portal.Domain.Registry;

/// <summary>
/// A challenger's input signature against the champion's. Features match by name, ordinally (as ML.NET binds input
/// columns). A removed or retyped feature is breaking: callers of the champion send inputs the challenger cannot read. An
/// added feature is a warning: callers may not send it yet.
/// </summary>
public sealed record SchemaCompatibility(IReadOnlyList<InputFeature> Added, IReadOnlyList<InputFeature> Removed, IReadOnlyList<(InputFeature Champion, InputFeature Challenger)> Retyped)
{
    public bool IsBreaking => Removed.Count > 0 || Retyped.Count > 0;

    public static SchemaCompatibility Compare(IReadOnlyList<InputFeature> challenger, IReadOnlyList<InputFeature> champion)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(champion);
        var championByName = champion.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var challengerByName = challenger.ToDictionary(f => f.Name, StringComparer.Ordinal);
        return new(
            [.. challenger.Where(f => !championByName.ContainsKey(f.Name))],
            [.. champion.Where(f => !challengerByName.ContainsKey(f.Name))],
            [.. champion.Where(f => challengerByName.TryGetValue(f.Name, out var c) && !string.Equals(c.Type, f.Type, StringComparison.Ordinal))
                .Select(f => (f, challengerByName[f.Name]))]);
    }

    /// <summary>The Schema gate: Failed (breaking, naming the features), Warning (added features), Passed (same inputs, or no champion).</summary>
    public static GateResult Gate(IReadOnlyList<InputFeature> challenger, IReadOnlyList<InputFeature>? champion)
    {
        if (champion is null)
        {
            return new(PromotionGate.Schema, GateVerdict.Passed, "There is no champion yet, so no caller depends on an input schema.");
        }

        var diff = Compare(challenger, champion);
        var added = diff.Added.Count == 0 ? "" : $" It also needs new inputs the current callers may not send: {Names(diff.Added)}.";
        if (diff.IsBreaking)
        {
            var parts = new List<string>();
            if (diff.Removed.Count > 0)
            {
                parts.Add($"it no longer takes {Names(diff.Removed)}, which the champion's callers send");
            }

            if (diff.Retyped.Count > 0)
            {
                parts.Add("it reads " + string.Join(", ", diff.Retyped.Select(r => $"{r.Champion.Name} as {r.Challenger.Type} instead of {r.Champion.Type}")));
            }

            return new(PromotionGate.Schema, GateVerdict.Failed, $"Breaking change: {string.Join("; ", parts)}.{added}");
        }

        return diff.Added.Count > 0
            ? new(PromotionGate.Schema, GateVerdict.Warning, $"The challenger needs new inputs the current callers may not send yet: {Names(diff.Added)}.")
            : new(PromotionGate.Schema, GateVerdict.Passed, "The challenger takes exactly the champion's inputs.");
    }

    private static string Names(IEnumerable<InputFeature> features) => string.Join(", ", features.Select(f => f.Name));
}
