using System.Text;
using Portal.Domain.Runs;
using Portal.Ml.Curves;

namespace Portal.Ml.Training.LightGbm;

/// <summary>
/// A LightGBM booster driven one iteration at a time through the C API: a training dataset built from the featurized
/// training rows (binned by LightGBM from those rows, as ML.NET's trainer does up to 65,536 rows), evaluation datasets
/// added later and binned with the training set's bins, and after any iteration the model's current output on
/// the training set and on each evaluation set (which LightGBM keeps up to date tree by tree, so reading it costs one
/// copy and the objective's transform).
/// </summary>
internal sealed unsafe class LightGbmBooster : IDisposable
{
    private readonly List<nint> _datasets = [];
    private readonly List<int> _rows = [];
    private readonly MlTask _task;
    private readonly string _parameters;
    private readonly int _trainRows;
    private nint _trainSet;
    private nint _booster;

    private LightGbmBooster(MlTask task, string parameters, int trainRows) => (_task, _parameters, _trainRows) = (task, parameters, trainRows);

    /// <summary>How many outputs a row has (classes for multiclass, else 1).</summary>
    public int Outputs { get; private init; }

    /// <summary>A booster on the training rows (LightGBM bins them here, the dearest part of the set-up).</summary>
    public static LightGbmBooster Create(MlTask task, FeatureMatrix train, string parameters, int classes)
    {
        var booster = new LightGbmBooster(task, parameters, train.Rows) { Outputs = task == MlTask.Multiclass ? classes : 1 };
        try
        {
            booster._trainSet = booster.AddDataset(train, 0);
            LightGbmNative.Check(LightGbmNative.BoosterCreate(booster._trainSet, parameters, out booster._booster));
            return booster;
        }
        catch
        {
            booster.Dispose();
            throw;
        }
    }

    /// <summary>Adds an evaluation set (binned with the training set's bins); the first added is set 1.</summary>
    public void AddEvaluation(FeatureMatrix set)
    {
        LightGbmNative.Check(LightGbmNative.BoosterAddValidData(_booster, AddDataset(set, _trainSet)));
        _rows.Add(set.Rows);
    }

    /// <summary>One boosting iteration; false when LightGBM can split no further (the model is complete).</summary>
    public bool Update()
    {
        LightGbmNative.Check(LightGbmNative.BoosterUpdateOneIter(_booster, out var finished));
        return finished == 0;
    }

    /// <summary>
    /// The model's output as LightGBM's objective turns scores into predictions (probabilities for classification,
    /// values for regression), row-major [row * <see cref="Outputs"/> + class]: on the training set when
    /// <paramref name="set"/> is 0 (every <paramref name="stride"/>-th row: LightGBM keeps the training rows' scores
    /// up to date, so the training curve's sample needs no dataset of its own), else on evaluation set
    /// <paramref name="set"/> (1-based, in the order given; every row).
    /// </summary>
    public double[] Predictions(int set, int stride = 1)
    {
        var rows = set == 0 ? _trainRows : _rows[set - 1];
        var classMajor = new double[(long)rows * Outputs];
        fixed (double* p = classMajor)
        {
            LightGbmNative.Check(LightGbmNative.BoosterGetPredict(_booster, set, out var length, p));
            if (length != classMajor.Length)
            {
                throw new InvalidOperationException($"LightGBM returned {length} predictions for {rows} rows of {Outputs} output(s).");
            }
        }

        if (Outputs == 1 && stride == 1)
        {
            return classMajor;
        }

        var picked = (rows + stride - 1) / stride;
        var rowMajor = new double[picked * Outputs];
        for (var c = 0; c < Outputs; c++)
        {
            for (var i = 0; i < picked; i++)
            {
                rowMajor[(i * Outputs) + c] = classMajor[(c * rows) + (i * stride)];
            }
        }

        return rowMajor;
    }

    /// <summary>The model in LightGBM's text format (every iteration), as ML.NET's trainer reads it.</summary>
    public string ModelString()
    {
        LightGbmNative.Check(LightGbmNative.BoosterSaveModelToString(_booster, 0, -1, 0, 0, out var length, null));
        var buffer = new byte[length];
        fixed (byte* p = buffer)
        {
            LightGbmNative.Check(LightGbmNative.BoosterSaveModelToString(_booster, 0, -1, 0, length, out length, p));
        }

        return Encoding.UTF8.GetString(buffer, 0, (int)Math.Max(0, length - 1));
    }

    public void Dispose()
    {
        if (_booster != 0)
        {
            _ = LightGbmNative.BoosterFree(_booster);
            _booster = 0;
        }

        foreach (var dataset in _datasets)
        {
            _ = LightGbmNative.DatasetFree(dataset);
        }

        _datasets.Clear();
    }

    private nint AddDataset(FeatureMatrix matrix, nint reference)
    {
        nint dataset;
        fixed (float* values = matrix.Values)
        {
            LightGbmNative.Check(LightGbmNative.DatasetCreateFromMat(values, LightGbmNative.Float32, matrix.Rows, matrix.Width, 1, _parameters, reference, out dataset));
        }

        _datasets.Add(dataset);
        var labels = _task switch
        {
            MlTask.Binary => Array.ConvertAll(matrix.BinaryLabels, b => b ? 1f : 0f),
            MlTask.Multiclass => Array.ConvertAll(matrix.ClassLabels, c => (float)c),
            _ => Array.ConvertAll(matrix.NumericLabels, v => float.IsNaN(v) ? 0f : v),
        };
        fixed (float* l = labels)
        {
            LightGbmNative.Check(LightGbmNative.DatasetSetField(dataset, "label", l, labels.Length, LightGbmNative.Float32));
        }

        return dataset;
    }
}
