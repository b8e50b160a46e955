namespace Portal.Ml.Evaluation;

/// <summary>Precision, recall and support (validation rows of that class) for one class.</summary>
public sealed record PerClassMetrics(string Class, double Precision, double Recall, long Support);
