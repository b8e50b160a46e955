using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Portal.Domain.Runs;
using Portal.Ml.Featurization;

namespace Portal.Ml.Governance;

/// <summary>
/// One model zip split into its featurizer and its predictor, with its own typed view of the evaluation rows: the
/// columns its input signature names, read from the same file, each with the type the model expects.
/// </summary>
internal sealed class EvaluatedModel
{
    private EvaluatedModel(string role, DataViewSchema input, ITransformer featurizer, ISingleFeaturePredictionTransformer<object> predictor)
    {
        Role = role;
        Input = input;
        Featurizer = featurizer;
        Predictor = predictor;
    }

    public string Role { get; }

    /// <summary>The model's input signature (the columns of the data it was trained from, as saved).</summary>
    public DataViewSchema Input { get; }

    public ITransformer Featurizer { get; }

    public ISingleFeaturePredictionTransformer<object> Predictor { get; }

    public string ModelType => ModelParameters.GetType().Name.Split('`')[0];

    /// <summary>The model's own parameters (the sub-model of a calibrated binary model).</summary>
    public object ModelParameters => Predictor.Model.GetType().GetProperties()
        .FirstOrDefault(p => p.Name == nameof(CalibratedModelParametersBase<object, ICalibrator>.SubModel))?.GetValue(Predictor.Model) ?? Predictor.Model;

    public static EvaluatedModel Load(MLContext ml, ModelSource source, string role)
    {
        ITransformer model;
        DataViewSchema input;
        try
        {
            using var stream = source.Open();
            model = ml.Model.Load(stream, out input);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new PromotionEvaluationException([$"The {role} model cannot be read as an ML.NET model zip: {ex.Message}"]);
        }

        var parts = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
        var at = parts.FindIndex(p => p is ISingleFeaturePredictionTransformer<object>);
        if (at < 0)
        {
            throw new PromotionEvaluationException([$"The {role} model holds no predictor (an ML.NET model zip saved by the portal's trainer ends in one)."]);
        }

        return new EvaluatedModel(role, input, new TransformerChain<ITransformer>([.. parts.Take(at)]), (ISingleFeaturePredictionTransformer<object>)parts[at]);
    }

    /// <summary>
    /// This model's view of the evaluation rows: every input column of its signature the file has (typed as the model
    /// expects) and the label (typed for the task). Rows are the file's rows in file order; nothing here drops a row.
    /// </summary>
    public IDataView Rows(MLContext ml, EvaluationRows rows, string labelColumn, MlTask task)
    {
        var byName = rows.Schema.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var columns = new List<TextLoader.Column>();
        foreach (var c in Input.Where(c => c.Name != labelColumn && byName.ContainsKey(c.Name)))
        {
            var kind = Kind(c.Type) ?? throw new PromotionEvaluationException([$"The {Role} model reads column '{c.Name}' as {c.Type}, which cannot be read from a CSV file."]);
            columns.Add(new TextLoader.Column(c.Name, kind, byName[c.Name].Ordinal));
        }

        columns.Add(new TextLoader.Column(labelColumn, task == MlTask.Regression ? DataKind.Single : DataKind.String, byName[labelColumn].Ordinal));
        var view = SchemaFeaturizer.CreateLoader(ml, [.. columns]).Load(rows.DataPath);
        try
        {
            Featurizer.GetOutputSchema(view.Schema);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException or ArgumentException)
        {
            var absent = Input.Select(c => c.Name).Where(n => n != labelColumn && !byName.ContainsKey(n)).ToList();
            throw new PromotionEvaluationException([
                $"The {Role} model cannot be scored on these rows: it needs input columns the evaluation rows do not have " +
                $"({(absent.Count == 0 ? "none of its signature is missing" : string.Join(", ", absent.Select(a => $"'{a}'")))}); ML.NET says: {ex.Message}"]);
        }

        return view;
    }

    /// <summary>The class names of a multiclass model, in the order of its score vector; empty for other tasks.</summary>
    public IReadOnlyList<string> Classes(IDataView featurized)
    {
        var predicted = Predictor.GetOutputSchema(featurized.Schema).GetColumnOrNull("PredictedLabel");
        if (predicted is not { Type: KeyDataViewType })
        {
            return [];
        }

        VBuffer<ReadOnlyMemory<char>> keys = default;
        predicted.Value.GetKeyValues(ref keys);
        return [.. keys.DenseValues().Select(k => k.ToString())];
    }

    /// <summary>
    /// An estimator of ML.NET's feature contribution calculation for this model (raw, not normalised, every slot), or
    /// null when ML.NET cannot calculate contributions for it. Calibrated binary models go through the catalogue's
    /// calibrated overload, whose type arguments are the model's own, so it is called by reflection.
    /// </summary>
    public IEstimator<ITransformer>? ContributionEstimator(MLContext ml, int slots)
    {
        if (Predictor is ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> direct)
        {
            return ml.Transforms.CalculateFeatureContribution(direct, slots, slots, normalize: false);
        }

        var calibrated = Predictor.GetType().GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISingleFeaturePredictionTransformer<>))
            .Select(i => i.GetGenericArguments()[0])
            .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(CalibratedModelParametersBase<,>));
        if (calibrated is null || !typeof(ICalculateFeatureContribution).IsAssignableFrom(calibrated.GetGenericArguments()[0]))
        {
            return null;
        }

        var method = typeof(ExplainabilityCatalog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(ExplainabilityCatalog.CalculateFeatureContribution) && m.IsGenericMethodDefinition && m.GetGenericArguments().Length == 2)
            .MakeGenericMethod(calibrated.GetGenericArguments());
        return (IEstimator<ITransformer>)method.Invoke(null, [ml.Transforms, Predictor, slots, slots, false])!;
    }

    private static DataKind? Kind(DataViewType type) => type.RawType switch
    {
        _ when type is KeyDataViewType or VectorDataViewType => null,
        var t when t == typeof(float) => DataKind.Single,
        var t when t == typeof(double) => DataKind.Double,
        var t when t == typeof(ReadOnlyMemory<char>) => DataKind.String,
        var t when t == typeof(bool) => DataKind.Boolean,
        var t when t == typeof(DateTime) => DataKind.DateTime,
        var t when t == typeof(int) => DataKind.Int32,
        var t when t == typeof(long) => DataKind.Int64,
        _ => null,
    };
}
