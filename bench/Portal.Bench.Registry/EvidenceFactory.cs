using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;
using Portal.Ml.Catalog;
using Portal.Ml.Governance;
using Portal.Ml.Training;
using EvaluationEvidence = Portal.Ml.Governance.PromotionEvidence;

namespace Portal.Bench.Registry;

/// <summary>
/// One real evaluation, reused by every seeded request: two LightGbm models trained on generated rows (champion: 30 trees on
/// 6 of 12 features; challenger: 100 trees on all 12), scored by the real <see cref="PromotionEvaluator"/> on a generated
/// hold-out with two group columns, so the frozen evidence has the size and shape the worker writes (12 feature importances
/// with spreads, confusion matrices, curves, fairness over 2 columns, an explanation).
/// </summary>
internal sealed record BenchEvidence(
    EvaluationEvidence Evaluation,
    JsonElement EvaluationJson,
    IReadOnlyList<InputFeature> Signature,
    IReadOnlyList<ClassifiedColumn> TrainingColumns,
    IReadOnlyList<RecordedDiagnostic> Diagnostics)
{
    /// <summary>The worker's serializer options (PromotionEvaluationJobRunner).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static readonly string[] SensitiveColumns = ["gender", "age_band"];

    /// <summary>The six gates as the worker words them; the human approval gate is the request's own (CompleteEvaluation adds it).</summary>
    public IReadOnlyList<GateResult> Gates(IReadOnlyList<InputFeature>? championSignature, bool personalData) =>
    [
        new(PromotionGate.Quality, Evaluation.Quality.Passes ? GateVerdict.Passed : GateVerdict.Failed, Evaluation.Quality.Sentence),
        SchemaCompatibility.Gate(Signature, championSignature),
        RecordedGates.Diagnostics(Diagnostics),
        Evaluation.Fairness.Verdict switch
        {
            FairnessVerdict.Breached => new(PromotionGate.Fairness, GateVerdict.Failed, Evaluation.Fairness.Statement),
            FairnessVerdict.TooFewRowsToJudge => new(PromotionGate.Fairness, GateVerdict.Warning, Evaluation.Fairness.Statement),
            _ => new(PromotionGate.Fairness, GateVerdict.Passed, Evaluation.Fairness.Statement),
        },
        RecordedGates.DataProtection(personalData ? TrainingColumns : [.. TrainingColumns.Select(c => c with { Classification = DataClassification.NotPersonal })]),
    ];

    /// <summary>The frozen evidence JSON in the worker's shape (PromotionEvaluationJobRunner.EvaluateAsync), not yet canonical.</summary>
    public string FrozenJson(PromotionRequestId requestId, string model, ModelStage target, ModelVersion challenger, ModelVersion? champion,
        IReadOnlyList<GateResult> gates, DatasetVersionId holdOut, bool personalData) => JsonSerializer.Serialize(new
        {
            requestId = requestId.ToString(),
            model,
            targetStage = target.ToString(),
            challenger = Describe(challenger),
            champion = champion is null ? null : Describe(champion),
            evaluationRows = new
            {
                source = "hold-out",
                independent = true,
                championTrainedOnTheseRows = false,
                datasetVersionId = holdOut.ToString(),
                datasetSha256 = "3f1d0c5a9b7e2d4c6a8f0e1b3d5c7a9e2f4b6d8c0a1e3f5b7d9c1a3e5f7b9d0c",
            },
            schema = SchemaCompatibility.Compare(challenger.InputSignature, champion?.InputSignature ?? challenger.InputSignature),
            diagnostics = Diagnostics,
            dataClassification = personalData ? TrainingColumns : [.. TrainingColumns.Select(c => c with { Classification = DataClassification.NotPersonal })],
            sensitiveColumns = SensitiveColumns,
            gates,
            evaluation = EvaluationJson,
        }, Json);

    private static object Describe(ModelVersion version) => new
    {
        version = version.Number,
        versionId = version.Id.ToString(),
        runId = version.RunId.ToString(),
        modelSha256 = version.ModelSha256,
        datasetVersionIds = version.DatasetVersionIds.Select(d => d.ToString()),
        inputSignature = version.InputSignature,
    };

    public static async Task<BenchEvidence> CreateAsync(int rows)
    {
        var clock = Stopwatch.StartNew();
        var folder = Directory.CreateTempSubdirectory("portal-bench-registry-evidence-").FullName;
        try
        {
            IReadOnlyList<ColumnSchema> schema =
            [
                .. Enumerable.Range(0, 12).Select(i => new ColumnSchema(i, $"f{i + 1}", ColumnType.Numeric)),
                new(12, "gender", ColumnType.Categorical), new(13, "age_band", ColumnType.Categorical), new(14, "label", ColumnType.Boolean),
            ];
            var trainCsv = Write(Path.Combine(folder, "train.csv"), rows, seed: 1);
            var holdOut = Write(Path.Combine(folder, "holdout.csv"), rows, seed: 2);
            var features = schema.Where(c => c.Name is not ("gender" or "age_band")).ToList();
            var championFeatures = features.Where(c => c.Name is "f1" or "f3" or "f5" or "f7" or "f9" or "f11" or "label").ToList();
            var champion = await TrainAsync(trainCsv, championFeatures, 30, "champion");
            var challenger = await TrainAsync(trainCsv, features, 100, "challenger");
            var request = new PromotionEvaluationRequest(ModelSource.FromFile(challenger), ModelSource.FromFile(champion), new EvaluationRows(holdOut, schema),
                "label", MlTask.Binary, SensitiveColumns) { Options = new PromotionEvaluationOptions { Margin = 0.005 } };
            var evaluation = await new PromotionEvaluator().EvaluateAsync(request, null, CancellationToken.None);
            if (!evaluation.Quality.Passes || evaluation.Fairness.Verdict == FairnessVerdict.Breached)
            {
                throw new InvalidOperationException($"The generated evidence would block every request: {evaluation.Quality.Sentence} {evaluation.Fairness.Statement}");
            }

            var signature = features.Where(c => c.Name != "label").Select(c => new InputFeature(c.Name, "Single")).ToList();
            List<ClassifiedColumn> columns =
            [
                .. signature.Select(f => new ClassifiedColumn("bench-loans", 1, f.Name, DataClassification.NotPersonal, false)),
                new("bench-loans", 1, "gender", DataClassification.SpecialCategory, true),
                new("bench-loans", 1, "age_band", DataClassification.Personal, true),
            ];
            List<RecordedDiagnostic> diagnostics =
            [
                new("ClassImbalance", DiagnosticSeverity.Warning, "The label is imbalanced: 31 % of the rows are positive; accuracy alone flatters the model."),
                new("WeakFeature", DiagnosticSeverity.Info, "Features f9 to f12 carry almost no signal on their own."),
            ];
            var element = JsonSerializer.SerializeToElement(evaluation, Json);
            Console.WriteLine(FormattableString.Invariant(
                $"  evidence: real evaluation of two LightGbm models on {rows:N0} generated hold-out rows in {clock.Elapsed.TotalSeconds:F1} s; {evaluation.FeatureImportance.Columns.Count} importances, fairness over {evaluation.Fairness.Columns.Count} columns"));
            return new BenchEvidence(evaluation, element, signature, columns, diagnostics);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> TrainAsync(string csv, IReadOnlyList<ColumnSchema> schema, int trees, string name)
    {
        var zip = Path.Combine(Path.GetDirectoryName(csv)!, $"{name}.zip");
        await new ModelTrainer().TrainAsync(new TrainingRequest(csv, schema, "label", MlTask.Binary, TrainerCatalog.LightGbm,
            new Dictionary<string, double> { ["numberOfIterations"] = trees }, 0.2, 1, zip), new QuietObserver(), CancellationToken.None);
        return zip;
    }

    // f1..f12: f1–f4 carry most of the signal, f5–f8 a little, f9–f12 none; groups do not change the label (fairness holds).
    private static string Write(string path, int rows, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(",", Enumerable.Range(1, 12).Select(i => $"f{i}").Concat(["gender", "age_band", "label"])));
        string[] bands = ["18-29", "30-44", "45-64", "65+"];
        var f = new double[12];
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < 12; i++)
            {
                f[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            }

            var gender = random.NextDouble() < 0.5 ? "female" : "male";
            var z = (1.2 * f[0]) - (0.9 * f[1]) + (0.7 * f[2] * f[3]) + (0.3 * f[4]) + (0.2 * f[5]) - (0.2 * f[6]) + (0.1 * f[7]) - 0.5;
            var label = random.NextDouble() < 1 / (1 + Math.Exp(-z));
            writer.Write(string.Join(",", f.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))));
            writer.WriteLine($",{gender},{bands[random.Next(bands.Length)]},{(label ? 1 : 0)}");
        }

        return path;
    }

    private sealed class QuietObserver : ITrainingObserver
    {
        public ValueTask ProgressAsync(double fraction, string stage, CancellationToken ct) => ValueTask.CompletedTask;

        public ValueTask MetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct) => ValueTask.CompletedTask;

        public ValueTask ClearCurveAsync(CancellationToken ct) => ValueTask.CompletedTask;

        public ValueTask LogAsync(string message, CancellationToken ct) => ValueTask.CompletedTask;
    }
}
