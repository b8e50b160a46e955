namespace Portal.Ml.Evaluation;

/// <summary>Precision, recall and support (validation rows of that class) for one class.</summary>
public sealed record PerClassMetrics(string Class, double Precision, double Recall, long Support)
{
    /// <summary>The harmonic mean of precision and recall; 0 when both are 0.</summary>
    public double F1 => Precision + Recall > 0 ? 2 * Precision * Recall / (Precision + Recall) : 0;
}
