using Microsoft.ML.Trainers.FastTree;

namespace Portal.Ml.Curves;

/// <summary>
/// Walks the trees of a fitted ensemble over dense feature rows, adding one tree at a time, so the score of
/// the ensemble truncated after every tree is known exactly. Categorical splits are switched off when
/// training, so every node is a numeric "value ≤ threshold goes left" split.
/// </summary>
internal static class TreeReplay
{
    /// <summary>Output of one tree for one row.</summary>
    public static double Evaluate(RegressionTree tree, ReadOnlySpan<float> row)
    {
        if (tree.NumberOfNodes == 0)
        {
            return tree.LeafValues[0];
        }

        var node = 0;
        while (node >= 0)
        {
            var value = row[tree.NumericalSplitFeatureIndexes[node]];
            node = value <= tree.NumericalSplitThresholds[node] ? tree.LeftChild[node] : tree.RightChild[node];
        }

        return tree.LeafValues[~node];
    }
}
