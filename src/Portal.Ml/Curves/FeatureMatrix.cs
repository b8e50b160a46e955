using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Runs;

namespace Portal.Ml.Curves;

/// <summary>Dense features and labels of a featurized split, read once so curve points cost one pass of arithmetic.</summary>
internal sealed class FeatureMatrix
{
    private FeatureMatrix(float[] values, int rows, int width, bool[] binary, int[] classes, float[] numeric)
    {
        Values = values;
        Rows = rows;
        Width = width;
        BinaryLabels = binary;
        ClassLabels = classes;
        NumericLabels = numeric;
    }

    public float[] Values { get; }

    public int Rows { get; }

    public int Width { get; }

    public bool[] BinaryLabels { get; }

    public int[] ClassLabels { get; }

    public float[] NumericLabels { get; }

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Width, Width);

    public static FeatureMatrix Read(IDataView data, MlTask task)
    {
        var width = ((VectorDataViewType)data.Schema["Features"].Type).Size;
        var values = new List<float>();
        var binary = new List<bool>();
        var classes = new List<int>();
        var numeric = new List<float>();
        var featureColumn = data.Schema["Features"];
        var labelColumn = data.Schema["Label"];
        using var cursor = data.GetRowCursor([featureColumn, labelColumn]);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
        var buffer = default(VBuffer<float>);
        var dense = new float[width];
        ValueGetter<bool>? getBool = task == MlTask.Binary ? cursor.GetGetter<bool>(labelColumn) : null;
        ValueGetter<uint>? getKey = task == MlTask.Multiclass ? cursor.GetGetter<uint>(labelColumn) : null;
        ValueGetter<float>? getFloat = task == MlTask.Regression ? cursor.GetGetter<float>(labelColumn) : null;
        var rows = 0;
        while (cursor.MoveNext())
        {
            getFeatures(ref buffer);
            buffer.CopyTo(dense);
            values.AddRange(dense);
            switch (task)
            {
                case MlTask.Binary:
                    bool b = default;
                    getBool!(ref b);
                    binary.Add(b);
                    break;
                case MlTask.Multiclass:
                    uint k = default;
                    getKey!(ref k);
                    classes.Add((int)k - 1);
                    break;
                default:
                    float f = default;
                    getFloat!(ref f);
                    numeric.Add(f);
                    break;
            }

            rows++;
        }

        return new FeatureMatrix([.. values], rows, width, [.. binary], [.. classes], [.. numeric]);
    }
}
