namespace Portal.Domain.Runs;

/// <summary>
/// The rule that tells curves from final metrics: a metric logged at more than one step is a curve, whatever its
/// name (an external run logging <c>loss</c> at steps 0, 1, 2, as MLflow users do, draws one); a metric logged at a
/// single step is a final value. The managed trainer's curves (<c>train.logLoss</c> at every iteration) and its
/// evaluation metrics (<c>areaUnderRocCurve</c> once, at the last step) fall on either side of it as they are logged.
/// </summary>
public static class MetricSeries
{
    public static MetricKind KindOf(IEnumerable<long> steps)
    {
        using var each = steps.GetEnumerator();
        if (!each.MoveNext())
        {
            return MetricKind.Final;
        }

        var first = each.Current;
        while (each.MoveNext())
        {
            if (each.Current != first)
            {
                return MetricKind.Curve;
            }
        }

        return MetricKind.Final;
    }
}
