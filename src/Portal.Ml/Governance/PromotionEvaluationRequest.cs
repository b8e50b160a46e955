using Portal.Domain.Datasets;
using Portal.Domain.Runs;

namespace Portal.Ml.Governance;

/// <summary>
/// What to evaluate for a promotion: the challenger's ML.NET model zip (as <see cref="Training.ModelTrainer"/> saves it),
/// the champion's when there is one, the evaluation rows both are scored on, the label and task, and the columns
/// fairness is judged over.
/// </summary>
/// <param name="SensitiveColumns">Columns of the evaluation rows whose groups are compared (special category or marked sensitive); they need not be model inputs.</param>
public sealed record PromotionEvaluationRequest(
    ModelSource Challenger,
    ModelSource? Champion,
    EvaluationRows Rows,
    string LabelColumn,
    MlTask Task,
    IReadOnlyList<string> SensitiveColumns)
{
    public PromotionEvaluationOptions Options { get; init; } = new();
}

/// <summary>
/// The rows both models are scored on: a CSV file of a dataset version and its schema (read as the trainer reads
/// data). With <see cref="ValidationOf"/> only the validation part of that run's train/validation split is used, the
/// very rows <see cref="Training.ModelTrainer"/> held out (see <see cref="ValidationSplit"/>).
/// </summary>
public sealed record EvaluationRows(string DataPath, IReadOnlyList<ColumnSchema> Schema)
{
    /// <summary>The run's split whose validation rows to use; null for every row of the file (a hold-out dataset version).</summary>
    public RunSplit? ValidationOf { get; init; }
}

/// <summary>The train/validation split of a run: the share of rows held out and the run's seed.</summary>
public sealed record RunSplit(double ValidationFraction, int Seed);

/// <summary>An ML.NET model zip, from a file or from bytes (a stream is read once, when the source is made).</summary>
public sealed class ModelSource
{
    private readonly string? _path;
    private readonly byte[]? _bytes;

    private ModelSource(string? path, byte[]? bytes)
    {
        _path = path;
        _bytes = bytes;
    }

    public static ModelSource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ModelSource(path, null);
    }

    public static ModelSource FromStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new ModelSource(null, copy.ToArray());
    }

    internal Stream Open() => _bytes is not null ? new MemoryStream(_bytes, writable: false) : File.OpenRead(_path!);
}
