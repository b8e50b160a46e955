using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Ml.Featurization;

namespace Portal.Ml.Governance;

/// <summary>
/// Reproduces the train/validation split <see cref="Training.ModelTrainer"/> made for a run: the same rows (regression
/// drops rows without a label first), ML.NET's <c>TrainTestSplit</c> with the run's validation fraction and seed. The
/// split draws one random number per row in row order from the seed, so it depends only on the rows' order and count,
/// never on which columns are loaded: a model with other inputs sees the very same validation rows.
/// </summary>
public static class ValidationSplit
{
    /// <summary>The 0-based data-row numbers (the header is not a row) of the run's validation rows, in file order.</summary>
    public static IReadOnlyList<int> RowNumbers(string dataPath, IReadOnlyList<ColumnSchema> schema, string labelColumn, MlTask task, RunSplit split)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(split);
        var label = schema.FirstOrDefault(c => c.Name == labelColumn)
            ?? throw new PromotionEvaluationException([$"Label column '{labelColumn}' is not in the schema of the evaluation rows."]);
        var ml = new MLContext(split.Seed);
        var kind = task == MlTask.Regression ? DataKind.Single : DataKind.String;
        var view = SchemaFeaturizer.CreateLoader(ml, [new TextLoader.Column(label.Name, kind, label.Ordinal)]).Load(dataPath);

        var kept = new List<int>();
        var row = 0;
        if (task == MlTask.Regression)
        {
            foreach (var value in view.GetColumn<float>(label.Name))
            {
                if (!float.IsNaN(value))
                {
                    kept.Add(row);
                }

                row++;
            }
        }
        else
        {
            kept.AddRange(Enumerable.Range(0, view.GetColumn<ReadOnlyMemory<char>>(label.Name).Count()));
        }

        var numbered = ml.Data.LoadFromEnumerable(kept.Select(r => new NumberedRow { Row = r }));
        return [.. Validation(numbered, split).GetColumn<int>(nameof(NumberedRow.Row))];
    }

    /// <summary>The validation part of <paramref name="rows"/> (already filtered as the trainer filters them).</summary>
    internal static IDataView Validation(IDataView rows, RunSplit split) =>
        new MLContext(split.Seed).Data.TrainTestSplit(rows, split.ValidationFraction, seed: split.Seed).TestSet;

    private sealed class NumberedRow
    {
        public int Row { get; init; }
    }
}
