namespace Portal.Ml.Evaluation;

/// <summary>Confusion matrix: <see cref="Counts"/>[actual][predicted], classes in <see cref="Classes"/> order.</summary>
public sealed record ConfusionMatrixData(IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<double>> Counts);
