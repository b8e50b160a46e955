using Microsoft.ML.Trainers.FastTree;

namespace Portal.Ml.Curves;

/// <summary>
/// One tree of a fitted ensemble copied into flat arrays, so the ensemble truncated after every tree can be
/// scored over the featurized rows exactly and cheaply. (ML.NET's <see cref="RegressionTree"/> properties are
/// read-only views that cost an allocation per access; copying once makes replay about as cheap as prediction.)
/// Categorical splits are switched off when training, so every node is "value ≤ threshold goes left".
/// </summary>
internal sealed class TreeReplay
{
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly double[] _leaf;

    public TreeReplay(RegressionTree tree)
    {
        _left = [.. tree.LeftChild];
        _right = [.. tree.RightChild];
        _feature = [.. tree.NumericalSplitFeatureIndexes];
        _threshold = [.. tree.NumericalSplitThresholds];
        _leaf = [.. tree.LeafValues];
    }

    /// <summary>Output of the tree for one row.</summary>
    public double Evaluate(ReadOnlySpan<float> row)
    {
        if (_left.Length == 0)
        {
            return _leaf[0];
        }

        var node = 0;
        while (node >= 0)
        {
            node = row[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
        }

        return _leaf[~node];
    }
}
