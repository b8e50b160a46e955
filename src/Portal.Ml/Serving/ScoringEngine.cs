using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Ml.Serving;

/// <summary>
/// Scores rows with one model version: the ML.NET model zip loaded once, the version's input signature and task. Each
/// request's rows (JSON objects) are checked against the signature; a row with a missing, extra or mistyped field gets its
/// own error naming the fields and never loses the others. A model that maps row to row (every model the portal trains)
/// scores through a pool of single-row scorers, each lent to one request; any other model scores the valid rows, copied
/// into typed column buffers, with one batch <c>Transform</c>, which builds its own data view and cursor per call. Either
/// way one engine serves any number of concurrent requests without a lock or a per-request load.
/// </summary>
public sealed class ScoringEngine
{
    private readonly ITransformer model;
    private readonly DataViewSchema inputSchema;
    private readonly FeatureType[] types;
    private readonly string[] names;
    private const int MaxStackName = 256;

    private readonly Dictionary<string, int> byName;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> byNameSpan;
    private readonly string positiveClass;
    private readonly string negativeClass;
    private readonly string[]? classNames;
    private readonly ConcurrentBag<SingleRowScorer> pool = [];
    private readonly int maxPooled = Environment.ProcessorCount * 4;
    private int pooled;

    private ScoringEngine(ITransformer model, IReadOnlyList<InputFeature> signature, FeatureType[] types, MlTask task, string positiveClass, string negativeClass,
        string[]? classNames)
    {
        this.model = model;
        this.types = types;
        Signature = signature;
        Task = task;
        names = [.. signature.Select(f => f.Name)];
        byName = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        byNameSpan = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        var builder = new DataViewSchema.Builder();
        for (var i = 0; i < names.Length; i++)
        {
            builder.AddColumn(names[i], types[i].DataViewType);
        }

        inputSchema = builder.ToSchema();
        this.positiveClass = positiveClass;
        this.negativeClass = negativeClass;
        this.classNames = classNames;
    }

    public IReadOnlyList<InputFeature> Signature { get; }

    public MlTask Task { get; }

    /// <summary>
    /// Loads a model zip for serving. <paramref name="binaryClasses"/>: a binary model's class names as its run knew them,
    /// positive first (its predicted label is then one of them); without them a binary model answers <c>true</c>/<c>false</c>.
    /// Refuses, in words, a signature type JSON cannot carry and a model that does not give the task's outputs.
    /// </summary>
    public static ScoringEngine Load(Stream modelZip, IReadOnlyList<InputFeature> signature, MlTask task, IReadOnlyList<string>? binaryClasses = null)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        ArgumentNullException.ThrowIfNull(signature);
        var types = new FeatureType[signature.Count];
        for (var i = 0; i < signature.Count; i++)
        {
            if (!FeatureType.TryParse(signature[i].Type, out types[i]))
            {
                throw new InvalidDataException($"Input '{signature[i].Name}' is of type {signature[i].Type}, which cannot be sent as JSON to the prediction endpoint.");
            }
        }

        var ml = new MLContext(seed: 0);
        ITransformer model;
        try
        {
            model = ml.Model.Load(modelZip, out _);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"The model file cannot be read as an ML.NET model: {ex.Message}", ex);
        }

        var (positive, negative) = binaryClasses is [var p, var n, ..] ? (p, n) : ("true", "false");
        var engine = new ScoringEngine(model, signature, types, task, positive, negative, null);
        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(engine.inputSchema);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"The model cannot score rows of its own signature: {ex.Message}", ex);
        }

        var problem = task switch
        {
            MlTask.Binary when output.GetColumnOrNull("PredictedLabel")?.Type is not BooleanDataViewType => "a binary model gives a Boolean PredictedLabel",
            MlTask.Multiclass when output.GetColumnOrNull("PredictedLabel")?.Type is not (TextDataViewType or KeyDataViewType) => "a multiclass model gives a PredictedLabel (a class or its key)",
            MlTask.Regression when output.GetColumnOrNull("Score")?.Type != NumberDataViewType.Single => "a regression model gives a Single Score",
            _ => null,
        };
        if (problem is not null)
        {
            throw new InvalidDataException($"The model's outputs do not fit its task: {problem}.");
        }

        return task == MlTask.Multiclass ? new ScoringEngine(model, signature, types, task, positive, negative, Classes(output)) : engine;
    }

    /// <summary>Scores each row; the answer has one entry per row, in order.</summary>
    public IReadOnlyList<RowPrediction> Score(IReadOnlyList<JsonElement> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (model.IsRowToRowMapper)
        {
            return ScoreRowByRow(rows);
        }

        var results = new RowPrediction[rows.Count];
        var buffers = Allocate(rows.Count);
        var validRows = new int[rows.Count];
        var valid = 0;
        var seen = new bool[names.Length];
        for (var r = 0; r < rows.Count; r++)
        {
            var error = Read(rows[r], buffers, valid, seen);
            if (error is null)
            {
                validRows[valid++] = r;
            }
            else
            {
                results[r] = RowPrediction.Refused(error);
            }
        }

        if (valid > 0)
        {
            ScoreValid(buffers, valid, validRows, results);
        }

        return results;
    }

    /// <summary>
    /// The rows through one pooled single-row scorer (no data view, cursor or transform chain built per request), row after
    /// row on the calling thread. A batch <c>Transform</c> would
    /// build a transform chain and cursor per request, and ML.NET splits such a cursor across worker threads of its own,
    /// which on a busy node compete with the requests themselves (docs/benchmarks.md, "Serving, fourth pass").
    /// </summary>
    private RowPrediction[] ScoreRowByRow(IReadOnlyList<JsonElement> rows)
    {
        var results = new RowPrediction[rows.Count];
        var seen = new bool[names.Length];
        SingleRowScorer? scorer = null;
        try
        {
            for (var r = 0; r < rows.Count; r++)
            {
                scorer ??= Rent();
                var error = Read(rows[r], scorer.Buffers, 0, seen);
                if (error is not null)
                {
                    results[r] = RowPrediction.Refused(error);
                    continue;
                }

                try
                {
                    results[r] = scorer.Score();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // This row fails alone; a scorer that failed mid-row is not reused.
                    results[r] = RowPrediction.ModelFailed($"The model could not score this row: {ex.Message}");
                    scorer = null;
                }
            }
        }
        finally
        {
            if (scorer is not null)
            {
                Return(scorer);
            }
        }

        return results;
    }

    private SingleRowScorer Rent()
    {
        if (pool.TryTake(out var scorer))
        {
            Interlocked.Decrement(ref pooled);
            return scorer;
        }

        return new SingleRowScorer(model, inputSchema, Allocate(1), Wanted, OutputReader);
    }

    private void Return(SingleRowScorer scorer)
    {
        if (Interlocked.Increment(ref pooled) <= maxPooled)
        {
            pool.Add(scorer);
        }
        else
        {
            Interlocked.Decrement(ref pooled);
        }
    }

    private void ScoreValid(Array[] buffers, int valid, int[] validRows, RowPrediction[] results)
    {
        try
        {
            var outputs = Predict(new ColumnBuffers(inputSchema, buffers, valid), valid);
            for (var i = 0; i < valid; i++)
            {
                results[validRows[i]] = outputs[i];
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && valid > 1)
        {
            // One row the model cannot score must not take the others down: score them one by one.
            for (var i = 0; i < valid; i++)
            {
                results[validRows[i]] = ScoreOne(buffers, i);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            results[validRows[0]] = RowPrediction.ModelFailed($"The model could not score this row: {ex.Message}");
        }
    }

    private RowPrediction ScoreOne(Array[] buffers, int row)
    {
        var single = new Array[buffers.Length];
        for (var c = 0; c < buffers.Length; c++)
        {
            single[c] = Array.CreateInstance(buffers[c].GetType().GetElementType()!, 1);
            Array.Copy(buffers[c], row, single[c], 0, 1);
        }

        try
        {
            return Predict(new ColumnBuffers(inputSchema, single, 1), 1)[0];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return RowPrediction.ModelFailed($"The model could not score this row: {ex.Message}");
        }
    }

    private RowPrediction[] Predict(IDataView input, int count)
    {
        var scored = model.Transform(input);
        using var cursor = scored.GetRowCursor(Wanted(scored.Schema));
        var read = OutputReader(cursor);
        var outputs = new RowPrediction[count];
        var i = 0;
        while (i < count && cursor.MoveNext())
        {
            outputs[i++] = read();
        }

        if (i != count)
        {
            throw new InvalidOperationException($"The model returned {i} rows for {count}.");
        }

        return outputs;
    }

    private IEnumerable<DataViewSchema.Column> Wanted(DataViewSchema schema)
    {
        string[] names = Task switch
        {
            MlTask.Binary => ["PredictedLabel", "Probability"],
            MlTask.Multiclass => ["PredictedLabel", "Score"],
            _ => ["Score"],
        };
        return names.Select(schema.GetColumnOrNull).OfType<DataViewSchema.Column>();
    }

    /// <summary>Reads the task's outputs of the row's current position (a cursor's, or a pooled single-row engine's).</summary>
    private Func<RowPrediction> OutputReader(DataViewRow row)
    {
        var schema = row.Schema;
        switch (Task)
        {
            case MlTask.Binary:
            {
                var label = row.GetGetter<bool>(schema["PredictedLabel"]);
                var probability = schema.GetColumnOrNull("Probability") is { Type: var t } p && t == NumberDataViewType.Single ? row.GetGetter<float>(p) : null;
                return () =>
                {
                    bool predicted = default;
                    float value = default;
                    label(ref predicted);
                    IReadOnlyDictionary<string, double>? probabilities = null;
                    if (probability is not null)
                    {
                        probability(ref value);
                        probabilities = float.IsFinite(value)
                            ? new Dictionary<string, double>(2, StringComparer.Ordinal) { [positiveClass] = value, [negativeClass] = 1 - (double)value }
                            : null;
                    }

                    return new RowPrediction(predicted ? positiveClass : negativeClass, null, probabilities, null);
                };
            }

            case MlTask.Multiclass:
            {
                var labelColumn = schema["PredictedLabel"];
                Func<string> label;
                if (labelColumn.Type is KeyDataViewType)
                {
                    var keys = KeyValues(labelColumn);
                    var getter = row.GetGetter<uint>(labelColumn);
                    label = () =>
                    {
                        uint key = default;
                        getter(ref key);
                        return key == 0 || key > keys.Length ? "" : keys[key - 1];
                    };
                }
                else
                {
                    var getter = row.GetGetter<ReadOnlyMemory<char>>(labelColumn);
                    label = () =>
                    {
                        ReadOnlyMemory<char> text = default;
                        getter(ref text);
                        return text.ToString();
                    };
                }

                var score = schema.GetColumnOrNull("Score") is { Type: VectorDataViewType { ItemType: var item } } s && item == NumberDataViewType.Single ? row.GetGetter<VBuffer<float>>(s) : null;
                return () =>
                {
                    var predicted = label();
                    Dictionary<string, double>? probabilities = null;
                    if (score is not null)
                    {
                        VBuffer<float> scores = default;
                        score(ref scores);
                        probabilities = new Dictionary<string, double>(StringComparer.Ordinal);
                        var slot = 0;
                        foreach (var v in scores.DenseValues())
                        {
                            var name = classNames is not null && slot < classNames.Length ? classNames[slot] : slot.ToString(CultureInfo.InvariantCulture);
                            probabilities[name] = float.IsFinite(v) ? v : 0;
                            slot++;
                        }
                    }

                    return predicted.Length == 0
                        ? RowPrediction.ModelFailed("The model gave no class for this row.")
                        : new RowPrediction(predicted, null, probabilities, null);
                };
            }

            default:
            {
                var getter = row.GetGetter<float>(schema["Score"]);
                return () =>
                {
                    float value = default;
                    getter(ref value);
                    return float.IsFinite(value) ? new RowPrediction(null, value, null, null) : RowPrediction.ModelFailed("The model gave no finite score for this row.");
                };
            }
        }
    }

    /// <summary>Checks one row against the signature and copies its values into the buffers at <paramref name="at"/>; returns the error or null.</summary>
    private string? Read(JsonElement row, Array[] buffers, int at, bool[] seen)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            return $"A row is a JSON object of the model's inputs ({string.Join(", ", names)}), not {Describe(row.ValueKind)}.";
        }

        Array.Clear(seen);
        List<string>? extra = null;
        List<string>? twice = null;
        List<string>? mistyped = null;
        foreach (var property in row.EnumerateObject())
        {
            if (!TryColumn(property, out var column))
            {
                (extra ??= []).Add(property.Name);
                continue;
            }

            if (seen[column])
            {
                (twice ??= []).Add(property.Name);
                continue;
            }

            seen[column] = true;
            if (!TryWrite(property.Value, types[column], buffers[column], at))
            {
                (mistyped ??= []).Add($"'{property.Name}' must be {types[column].Expected}");
            }
        }

        List<string>? missing = null;
        for (var c = 0; c < seen.Length; c++)
        {
            if (!seen[c])
            {
                (missing ??= []).Add(names[c]);
            }
        }

        if (missing is null && extra is null && twice is null && mistyped is null)
        {
            return null;
        }

        var parts = new List<string>(4);
        if (missing is not null)
        {
            parts.Add($"missing: {string.Join(", ", missing)}");
        }

        if (extra is not null)
        {
            parts.Add($"extra: {string.Join(", ", extra)}");
        }

        if (twice is not null)
        {
            parts.Add($"given twice: {string.Join(", ", twice)}");
        }

        if (mistyped is not null)
        {
            parts.AddRange(mistyped);
        }

        return string.Join("; ", parts);
    }

    /// <summary>
    /// The signature column a property names, looked up from the property's UTF-8 name without making a string of it (a
    /// name written with JSON escapes, or longer than any feature name, takes the allocating path).
    /// </summary>
    private bool TryColumn(JsonProperty property, out int column)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length > MaxStackName || raw.Contains((byte)'\\'))
        {
            return byName.TryGetValue(property.Name, out column);
        }

        Span<char> name = stackalloc char[MaxStackName];
        return byNameSpan.TryGetValue(name[..Encoding.UTF8.GetChars(raw, name)], out column);
    }

    private static bool TryWrite(JsonElement value, FeatureType type, Array buffer, int at)
    {
        switch (type.Kind)
        {
            case FeatureKind.Single:
            {
                // null is a missing value: NaN, which the trained featurizer replaces as it did in training.
                var number = 0d;
                if (value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number)))
                {
                    ((float[])buffer)[at] = value.ValueKind == JsonValueKind.Null ? float.NaN : (float)number;
                    return true;
                }

                return false;
            }

            case FeatureKind.Double:
            {
                var number = 0d;
                if (value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number)))
                {
                    ((double[])buffer)[at] = value.ValueKind == JsonValueKind.Null ? double.NaN : number;
                    return true;
                }

                return false;
            }

            case FeatureKind.Int32:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out ((int[])buffer)[at]);
            case FeatureKind.Int64:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out ((long[])buffer)[at]);
            case FeatureKind.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    ((bool[])buffer)[at] = value.ValueKind == JsonValueKind.True;
                    return true;
                }

                return false;
            case FeatureKind.Text:
                if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                {
                    ((ReadOnlyMemory<char>[])buffer)[at] = value.ValueKind == JsonValueKind.Null ? ReadOnlyMemory<char>.Empty : (value.GetString() ?? "").AsMemory();
                    return true;
                }

                return false;
            case FeatureKind.DateTime:
                if (value.ValueKind == JsonValueKind.String
                    && DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date))
                {
                    ((DateTime[])buffer)[at] = date;
                    return true;
                }

                return false;
            default:
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != type.Size)
                {
                    return false;
                }

                var items = new float[type.Size];
                var k = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var d))
                    {
                        return false;
                    }

                    items[k++] = (float)d;
                }

                ((VBuffer<float>[])buffer)[at] = new VBuffer<float>(type.Size, items);
                return true;
        }
    }

    private Array[] Allocate(int rows)
    {
        var buffers = new Array[types.Length];
        for (var c = 0; c < types.Length; c++)
        {
            buffers[c] = types[c].Kind switch
            {
                FeatureKind.Single => new float[rows],
                FeatureKind.Double => new double[rows],
                FeatureKind.Int32 => new int[rows],
                FeatureKind.Int64 => new long[rows],
                FeatureKind.Boolean => new bool[rows],
                FeatureKind.Text => new ReadOnlyMemory<char>[rows],
                FeatureKind.DateTime => new DateTime[rows],
                _ => new VBuffer<float>[rows],
            };
        }

        return buffers;
    }

    /// <summary>A multiclass model's class names in the order of its Score vector: the Score slot names, else the label's key values.</summary>
    private static string[]? Classes(DataViewSchema output)
    {
        if (output.GetColumnOrNull("Score") is { } score && score.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> slots = default;
            score.GetSlotNames(ref slots);
            var names = slots.DenseValues().Select(s => s.ToString()).ToArray();
            if (names.All(n => n.Length > 0))
            {
                return names;
            }
        }

        return output.GetColumnOrNull("PredictedLabel") is { Type: KeyDataViewType } key ? KeyValues(key) : null;
    }

    private static string[] KeyValues(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is null)
        {
            return [];
        }

        VBuffer<ReadOnlyMemory<char>> keys = default;
        column.GetKeyValues(ref keys);
        return [.. keys.DenseValues().Select(k => k.ToString())];
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "true or false",
    };
}
