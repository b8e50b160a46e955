using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Runs;

namespace Portal.Ml.Curves;

/// <summary>
/// Dense features and labels of a featurized split (or of an evenly spaced sample of it: every k-th row, k fixed by
/// the split's row count), read once so curve points cost one pass of arithmetic.
/// </summary>
internal sealed class FeatureMatrix
{
    private FeatureMatrix(float[] values, int rows, int sourceRows, int stride, int width, bool[] binary, int[] classes, float[] numeric)
    {
        SourceRows = sourceRows;
        Stride = stride;
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

    /// <summary>Rows of the split the matrix was read from (equals <see cref="Rows"/> unless sampled).</summary>
    public int SourceRows { get; }

    /// <summary>Row i of this matrix is row i * <see cref="Stride"/> of the split (1 unless sampled).</summary>
    public int Stride { get; }

    public bool[] BinaryLabels { get; }

    public int[] ClassLabels { get; }

    public float[] NumericLabels { get; }

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Width, Width);

    public static FeatureMatrix Read(IDataView data, MlTask task, int maxRows)
    {
        var sourceRows = (int)(data.GetRowCount() ?? CountRows(data));
        var stride = StrideFor(sourceRows, maxRows);
        var width = ((VectorDataViewType)data.Schema["Features"].Type).Size;
        var rows = (sourceRows + stride - 1) / stride;

        // Sized once from the row count: the features are copied straight into their row of one array.
        var values = new float[rows * width];
        var binary = new bool[task == MlTask.Binary ? rows : 0];
        var classes = new int[task == MlTask.Multiclass ? rows : 0];
        var numeric = new float[task == MlTask.Regression ? rows : 0];
        var featureColumn = data.Schema["Features"];
        var labelColumn = data.Schema["Label"];
        using var cursor = data.GetRowCursor([featureColumn, labelColumn]);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
        var buffer = default(VBuffer<float>);
        ValueGetter<bool>? getBool = task == MlTask.Binary ? cursor.GetGetter<bool>(labelColumn) : null;
        ValueGetter<uint>? getKey = task == MlTask.Multiclass ? cursor.GetGetter<uint>(labelColumn) : null;
        ValueGetter<float>? getFloat = task == MlTask.Regression ? cursor.GetGetter<float>(labelColumn) : null;
        var row = 0;
        var index = -1;
        while (cursor.MoveNext())
        {
            if (++index % stride != 0)
            {
                continue;
            }

            getFeatures(ref buffer);
            buffer.CopyTo(values.AsSpan(row * width, width));
            switch (task)
            {
                case MlTask.Binary:
                    getBool!(ref binary[row]);
                    break;
                case MlTask.Multiclass:
                    uint k = default;
                    getKey!(ref k);
                    classes[row] = (int)k - 1;
                    break;
                default:
                    getFloat!(ref numeric[row]);
                    break;
            }

            row++;
        }

        return new FeatureMatrix(values, rows, sourceRows, stride, width, binary, classes, numeric);
    }

    /// <summary>
    /// The rows <see cref="Read"/> would have read with <paramref name="maxRows"/> (every k-th row, k fixed by the row
    /// count), taken from this matrix of every row; this matrix itself when it has no more rows than that.
    /// </summary>
    public FeatureMatrix Sample(int maxRows)
    {
        if (Rows != SourceRows)
        {
            throw new InvalidOperationException("Only a matrix of every row can be sampled.");
        }

        var stride = StrideFor(Rows, maxRows);
        if (stride == 1)
        {
            return this;
        }

        var rows = (Rows + stride - 1) / stride;
        var values = new float[rows * Width];
        for (var r = 0; r < rows; r++)
        {
            Row(r * stride).CopyTo(values.AsSpan(r * Width, Width));
        }

        T[] Every<T>(T[] labels) => labels.Length == 0 ? labels : [.. Enumerable.Range(0, rows).Select(r => labels[r * stride])];
        return new FeatureMatrix(values, rows, SourceRows, stride, Width, Every(BinaryLabels), Every(ClassLabels), Every(NumericLabels));
    }

    private static int StrideFor(int sourceRows, int maxRows) => sourceRows <= maxRows ? 1 : (int)Math.Ceiling(sourceRows / (double)maxRows);

    private static long CountRows(IDataView data)
    {
        long n = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            n++;
        }

        return n;
    }
}
