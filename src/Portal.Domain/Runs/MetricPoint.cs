namespace Portal.Domain.Runs;

/// <summary>
/// One value of a metric at a step (iteration, epoch or data fraction). Curves use keys such as
/// <c>train.logLoss</c> and <c>validation.logLoss</c>; final evaluation metrics use ML.NET's names
/// (<c>areaUnderRocCurve</c>, <c>macroAccuracy</c>, <c>rSquared</c>, ...) at the last step. Whether a key draws as a
/// curve is read from its steps, not its name (<see cref="MetricSeries"/>).
/// </summary>
public sealed record MetricPoint(string Key, double Value, long Step);
