using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Diagnostics;

/// <summary>Builds loss curves (one point per step, starting at step 0) for diagnostics tests.</summary>
internal static class CurveBuilder
{
    public static List<MetricPoint> Curve(string key, params double[] values) =>
        values.Select((v, i) => new MetricPoint(key, v, i)).ToList();
}
