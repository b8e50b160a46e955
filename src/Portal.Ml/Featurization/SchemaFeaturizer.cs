using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;

namespace Portal.Ml.Featurization;

/// <summary>
/// Builds, from a dataset schema, the ML.NET text loader and the featurization pipeline that ends in a single
/// <c>Features</c> vector and a <c>Label</c> column of the type the task needs.
/// Numeric → float, missing replaced by the mean, min-max normalised when the trainer needs it;
/// categorical / boolean → one-hot; date → ticks as a number (missing dates become 0, which normalisation keeps
/// apart from real dates). Free-text columns and identifier-like categoricals (passed in
/// <c>excluded</c>) are left out with a note: their n-gram or one-hot vectors would be as wide as the data is
/// long, and free text in tabular uploads is mostly personal data (emails, names). The label never enters the features.
/// </summary>
internal static class SchemaFeaturizer
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";
    private const string RawLabel = "__label_raw";
    private const string Numeric = "__numeric";

    /// <summary>
    /// Text loader typed by the schema; the label is loaded as text (or float for regression) under its own name. An
    /// empty numeric field loads as NaN (ML.NET's default would be 0), so it counts as missing and gets the mean.
    /// </summary>
    public static TextLoader CreateLoader(MLContext ml, IReadOnlyList<ColumnSchema> schema, string labelColumn, MlTask task) =>
        CreateLoader(ml, TypedColumns(schema, labelColumn, task));

    /// <summary>A loader of the given typed columns with the trainer's CSV settings (header, quoting, empty number = NaN).</summary>
    public static TextLoader CreateLoader(MLContext ml, TextLoader.Column[] columns) =>
        ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = columns,
            Separators = [','],
            HasHeader = true,
            AllowQuoting = true,
            TrimWhitespace = true,
            MissingRealsAsNaNs = true,
        });

    private static TextLoader.Column[] TypedColumns(IReadOnlyList<ColumnSchema> schema, string labelColumn, MlTask task)
    {
        return schema.Select(c =>
        {
            if (c.Name == labelColumn)
            {
                return new TextLoader.Column(c.Name, task == MlTask.Regression ? DataKind.Single : DataKind.String, c.Ordinal);
            }

            var kind = c.Type switch
            {
                ColumnType.Numeric => DataKind.Single,
                ColumnType.Date => DataKind.DateTime,
                _ => DataKind.String,
            };
            return new TextLoader.Column(c.Name, kind, c.Ordinal);
        }).ToArray();
    }

    /// <summary>Maps the raw label column to <see cref="LabelColumn"/> (bool, key or float). Not part of the saved model.</summary>
    public static IEstimator<ITransformer> LabelEstimator(MLContext ml, string labelColumn, LabelEncoding encoding) => encoding.Task switch
    {
        MlTask.Binary => ml.Transforms.CopyColumns(RawLabel, labelColumn)
            .Append(ml.Transforms.Conversion.MapValue(LabelColumn, encoding.BinaryMap.ToList(), RawLabel)),
        MlTask.Multiclass => ml.Transforms.Conversion.MapValueToKey(LabelColumn, labelColumn, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue),
        _ => ml.Transforms.CopyColumns(LabelColumn, labelColumn),
    };

    /// <summary>The feature pipeline (saved with the model). Returns the estimator and the number of source columns used.</summary>
    public static (IEstimator<ITransformer> Estimator, int FeatureColumns, IReadOnlyList<string> Notes) FeatureEstimator(
        MLContext ml, IReadOnlyList<ColumnSchema> schema, string labelColumn, bool normalize, IReadOnlySet<string> excluded)
    {
        var notes = new List<string>();
        foreach (var c in schema.Where(c => c.Name != labelColumn && (c.Type == ColumnType.Text || excluded.Contains(c.Name))))
        {
            notes.Add(c.Type == ColumnType.Text
                ? $"Text column '{c.Name}' is not used as a feature (free text)."
                : $"Column '{c.Name}' is not used as a feature (nearly one distinct value per row, like an identifier).");
        }

        var features = schema.Where(c => c.Name != labelColumn && c.Type != ColumnType.Text && !excluded.Contains(c.Name)).ToList();
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        var parts = new List<string>();

        var dates = features.Where(c => c.Type == ColumnType.Date).ToList();
        foreach (var d in dates)
        {
            pipeline = pipeline.Append(ml.Transforms.Conversion.ConvertType($"__date_{d.Ordinal}", d.Name, DataKind.Single));
        }

        var numericInputs = features.Where(c => c.Type == ColumnType.Numeric).Select(c => c.Name)
            .Concat(dates.Select(d => $"__date_{d.Ordinal}")).ToArray();
        if (numericInputs.Length > 0)
        {
            pipeline = pipeline
                .Append(ml.Transforms.Concatenate(Numeric, numericInputs))
                .Append(ml.Transforms.ReplaceMissingValues(Numeric, replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean));
            if (normalize)
            {
                pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax(Numeric));
            }

            parts.Add(Numeric);
        }

        var categorical = features.Where(c => c.Type is ColumnType.Categorical or ColumnType.Boolean).ToList();
        if (categorical.Count > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding(
                categorical.Select(c => new InputOutputColumnPair($"__cat_{c.Ordinal}", c.Name)).ToArray()));
            parts.AddRange(categorical.Select(c => $"__cat_{c.Ordinal}"));
        }

        if (parts.Count == 0)
        {
            throw new Training.TrainingValidationException(["The schema has no feature columns besides the label."]);
        }

        pipeline = pipeline.Append(ml.Transforms.Concatenate(FeaturesColumn, parts.ToArray()));
        return (pipeline, features.Count, notes);
    }
}
