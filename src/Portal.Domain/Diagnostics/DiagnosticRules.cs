namespace Portal.Domain.Diagnostics;

/// <summary>Names of the training diagnostics rules.</summary>
public static class DiagnosticRules
{
    public const string Overfitting = "Overfitting";
    public const string LossNotDecreasing = "LossNotDecreasing";
    public const string ExplodingLoss = "ExplodingLoss";
    public const string ClassImbalance = "ClassImbalance";
    public const string ConstantColumn = "ConstantColumn";
    public const string MostlyMissing = "MostlyMissing";
    public const string LabelLeakage = "LabelLeakage";
    public const string TooFewRows = "TooFewRows";
}
