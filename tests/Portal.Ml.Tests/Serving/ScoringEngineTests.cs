using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.Featurization;
using Portal.Ml.Registry;
using Portal.Ml.Serving;
using Portal.Ml.Training;

namespace Portal.Ml.Tests.Serving;

public sealed class ScoringEngineTests : IDisposable
{
    private const int Rows = 40;
    private readonly TrainingData data = new();

    public void Dispose() => data.Dispose();

    public static TheoryData<MlTask, string> Models => new()
    {
        { MlTask.Binary, TrainerCatalog.LightGbm },
        { MlTask.Binary, TrainerCatalog.SdcaLogisticRegression },
        { MlTask.Multiclass, TrainerCatalog.SdcaMaximumEntropy },
        { MlTask.Multiclass, TrainerCatalog.LightGbm },
        { MlTask.Regression, TrainerCatalog.LightGbm },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task ScoresEqualMlNetsOwnTransformOfTheSameRows(MlTask task, string trainer)
    {
        var (request, engine, signature) = await TrainAsync(task, trainer);
        var rows = JsonRows(request, signature, Rows);

        var batch = engine.Score(rows);
        var single = rows.Select(r => engine.Score([r])[0]).ToList();

        var expected = OwnTransform(request, Rows);
        Assert.Equal(Rows, batch.Count);
        foreach (var predictions in new[] { batch, single })
        {
            AssertEqual(task, expected, predictions);
        }
    }

    private static void AssertEqual(MlTask task, Expected expected, IReadOnlyList<RowPrediction> predictions)
    {
        Assert.All(predictions, p => Assert.Null(p.Error));
        for (var i = 0; i < Rows; i++)
        {
            var p = predictions[i];
            switch (task)
            {
                case MlTask.Binary:
                    Assert.Equal(expected.Labels[i] ? "true" : "false", p.PredictedLabel);
                    if (expected.Probabilities is { } probabilities)
                    {
                        Assert.Equal(probabilities[i], p.Probabilities!["true"]);
                    }

                    break;
                case MlTask.Multiclass:
                    Assert.Equal(expected.Classes![i], p.PredictedLabel);
                    Assert.Equal(expected.ClassScores![i], p.Probabilities!.Values.Select(v => (float)v).ToArray());
                    Assert.Equal(expected.Classes[i], p.Probabilities.MaxBy(kv => kv.Value).Key);
                    break;
                default:
                    Assert.Equal(expected.Scores![i], p.Score);
                    break;
            }
        }
    }

    [Fact]
    public async Task BinaryModelAnswersTheClassNamesItsRunKnew()
    {
        var (request, _, signature) = await TrainAsync(MlTask.Binary, TrainerCatalog.SdcaLogisticRegression);
        using var zip = File.OpenRead(request.ModelOutputPath);
        var engine = ScoringEngine.Load(zip, signature, MlTask.Binary, ["defaulted", "repaid"]);

        var predictions = engine.Score(JsonRows(request, signature, Rows));

        var expected = OwnTransform(request, Rows);
        Assert.Equal(expected.Labels.Select(l => l ? "defaulted" : "repaid"), predictions.Select(p => p.PredictedLabel));
        Assert.All(predictions, p => Assert.Equal(1.0, p.Probabilities!["defaulted"] + p.Probabilities["repaid"], 6));
    }

    [Fact]
    public async Task RowWithMissingExtraAndMistypedFieldsGetsOneErrorNamingThemAndTheOtherRowsAreScored()
    {
        var (request, engine, signature) = await TrainAsync(MlTask.Binary, TrainerCatalog.SdcaLogisticRegression);
        var good = JsonRows(request, signature, 3);
        var bad = Edit(good[1], row =>
        {
            row.Remove("age");
            row.Remove("purpose");
            row["foo"] = 1;
            row["annual_income"] = "lots";
            row["birth_date"] = "yesterday";
        });

        var predictions = engine.Score([good[0], bad, good[2]]);

        Assert.Equal("missing: age, purpose; extra: foo; 'birth_date' must be a date as ISO 8601 text (e.g. \"2024-01-31\"); 'annual_income' must be a number",
            predictions[1].Error);
        Assert.True(predictions[1].InputRejected);
        var alone = engine.Score([good[0], good[2]]);
        Assert.Equal(new[] { alone[0].PredictedLabel, alone[1].PredictedLabel }, new[] { predictions[0].PredictedLabel, predictions[2].PredictedLabel });
        Assert.Equal(alone[0].Probabilities, predictions[0].Probabilities);
        Assert.Equal(alone[1].Probabilities, predictions[2].Probabilities);
        Assert.Null(predictions[0].Error);
    }

    [Theory]
    [InlineData("[1, 2]", "A row is a JSON object")]
    [InlineData("{\"age\": true}", "'age' must be a number")]
    public async Task RowThatIsNotAnObjectOrHasAMistypedNumberIsRefusedInWords(string json, string expected)
    {
        var (_, engine, _) = await TrainAsync(MlTask.Regression, TrainerCatalog.LightGbm);

        var prediction = Assert.Single(engine.Score([JsonDocument.Parse(json).RootElement]));

        Assert.Contains(expected, prediction.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentSingleRowRequestsOnOneEngineGetTheAnswersOfOneBatch()
    {
        var (request, engine, signature) = await TrainAsync(MlTask.Binary, TrainerCatalog.LightGbm);
        var rows = JsonRows(request, signature, Rows);
        var sequential = engine.Score(rows);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => engine.Score([rows[i % Rows]])[0])));

        for (var i = 0; i < concurrent.Length; i++)
        {
            Assert.Equal(sequential[i % Rows].PredictedLabel, concurrent[i].PredictedLabel);
            Assert.Equal(sequential[i % Rows].Probabilities!["true"], concurrent[i].Probabilities!["true"]);
        }
    }

    private async Task<(TrainingRequest Request, ScoringEngine Engine, IReadOnlyList<InputFeature> Signature)> TrainAsync(MlTask task, string trainer)
    {
        var request = data.Request(task, trainer, rows: 600);
        var result = await new ModelTrainer().TrainAsync(request, new RecordingObserver(), CancellationToken.None);
        Assert.False(result.StoppedEarly, result.StopReason);
        IReadOnlyList<InputFeature> signature;
        using (var file = File.OpenRead(request.ModelOutputPath))
        {
            signature = ModelSignatureReader.Read(file, request.LabelColumn);
        }

        using var zip = File.OpenRead(request.ModelOutputPath);
        return (request, ScoringEngine.Load(zip, signature, task), signature);
    }

    /// <summary>The first rows of the training file as JSON objects of the signature's fields, typed as the signature says.</summary>
    private static List<JsonElement> JsonRows(TrainingRequest request, IReadOnlyList<InputFeature> signature, int count)
    {
        var lines = File.ReadLines(request.DataPath).Take(count + 1).ToList();
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            var row = new Dictionary<string, object?>();
            foreach (var f in signature)
            {
                var cell = cells[Array.IndexOf(header, f.Name)];
                row[f.Name] = f.Type switch
                {
                    "Single" => cell.Length == 0 ? null : double.Parse(cell, CultureInfo.InvariantCulture),
                    _ => cell,
                };
            }

            return JsonSerializer.SerializeToElement(row);
        })];
    }

    private static JsonElement Edit(JsonElement row, Action<Dictionary<string, object?>> edit)
    {
        var copy = JsonSerializer.Deserialize<Dictionary<string, object?>>(row.GetRawText())!;
        edit(copy);
        return JsonSerializer.SerializeToElement(copy);
    }

    private sealed record Expected(bool[] Labels, float[]? Probabilities, string[]? Classes, float[][]? ClassScores, double[]? Scores);

    /// <summary>ML.NET's own batch Transform of the saved model over the same rows, read from the file by the trainer's loader.</summary>
    private static Expected OwnTransform(TrainingRequest request, int count)
    {
        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(request.ModelOutputPath, out _);
        var view = ml.Data.TakeRows(SchemaFeaturizer.CreateLoader(ml, request.Schema, request.LabelColumn, request.Task).Load(request.DataPath), count);
        var scored = model.Transform(view);
        return request.Task switch
        {
            MlTask.Binary => new Expected([.. scored.GetColumn<bool>("PredictedLabel")],
                scored.Schema.GetColumnOrNull("Probability") is null ? null : [.. scored.GetColumn<float>("Probability")], null, null, null),
            MlTask.Multiclass => new Expected([], null, [.. scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(c => c.ToString())],
                [.. scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray())], null),
            _ => new Expected([], null, null, null, [.. scored.GetColumn<float>("Score").Select(s => (double)s)]),
        };
    }
}
