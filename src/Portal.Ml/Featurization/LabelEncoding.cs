using Portal.Domain.Runs;

namespace Portal.Ml.Featurization;

/// <summary>
/// How the raw label text maps to what the trainer needs. Binary: the usual spellings of yes/no
/// (1/0, true/false, yes/no, y/n, t/f, any case) or, failing that, exactly two distinct values of which the
/// ordinally greater is the positive class. Multiclass: the distinct values as classes. Regression: numbers.
/// </summary>
internal sealed record LabelEncoding(MlTask Task, IReadOnlyDictionary<string, bool> BinaryMap, string PositiveClass, string NegativeClass)
{
    private static readonly string[] Positive = ["1", "true", "yes", "y", "t"];
    private static readonly string[] Negative = ["0", "false", "no", "n", "f"];

    public static LabelEncoding Create(MlTask task, string labelColumn, IReadOnlyList<string> labels)
    {
        var missing = labels.Count(string.IsNullOrEmpty);
        if (missing > 0)
        {
            throw new Training.TrainingValidationException([$"Label column '{labelColumn}' is empty in {missing} rows; remove or fill them before training."]);
        }

        if (task != MlTask.Binary)
        {
            if (task == MlTask.Multiclass && labels.Distinct(StringComparer.Ordinal).Take(2).Count() < 2)
            {
                throw new Training.TrainingValidationException([$"Label column '{labelColumn}' needs at least two classes."]);
            }

            return new LabelEncoding(task, new Dictionary<string, bool>(), string.Empty, string.Empty);
        }

        var distinct = labels.Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
        var map = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (distinct.All(v => Positive.Contains(v.ToLowerInvariant()) || Negative.Contains(v.ToLowerInvariant())))
        {
            foreach (var v in distinct)
            {
                map[v] = Positive.Contains(v.ToLowerInvariant());
            }
        }
        else if (distinct.Count == 2)
        {
            map[distinct[0]] = false;
            map[distinct[1]] = true;
        }
        else
        {
            throw new Training.TrainingValidationException([$"A binary label needs two distinct values (or yes/no spellings); '{labelColumn}' has {distinct.Count}: {string.Join(", ", distinct.Take(5))}."]);
        }

        if (map.Values.Distinct().Count() < 2)
        {
            throw new Training.TrainingValidationException([$"Label column '{labelColumn}' holds only one class."]);
        }

        return new LabelEncoding(task, map, map.First(kv => kv.Value).Key, map.First(kv => !kv.Value).Key);
    }

    /// <summary>Whether <paramref name="raw"/> is one of the yes/no spellings a binary label may use, and which.</summary>
    public static bool TryReadSpelling(string raw, out bool positive)
    {
        var lower = raw.Trim().ToLowerInvariant();
        positive = Positive.Contains(lower);
        return positive || Negative.Contains(lower);
    }

    /// <summary>The label as a number for leakage checks: 0/1 for binary, the parsed value for regression, NaN otherwise.</summary>
    public double ToNumber(string raw) => Task switch
    {
        MlTask.Binary => BinaryMap.TryGetValue(raw, out var b) ? (b ? 1 : 0) : double.NaN,
        MlTask.Regression => double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : double.NaN,
        _ => double.NaN,
    };
}
