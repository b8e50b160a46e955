namespace Portal.Domain.Runs;

/// <summary>
/// One value of a metric at a step (iteration, epoch or data fraction). Curves use keys such as
/// <c>train.logLoss</c> and <c>validation.logLoss</c>; final evaluation metrics use ML.NET's names
/// (<c>areaUnderRocCurve</c>, <c>macroAccuracy</c>, <c>rSquared</c>, ...) at the last step.
/// </summary>
public sealed record MetricPoint(string Key, double Value, long Step);
