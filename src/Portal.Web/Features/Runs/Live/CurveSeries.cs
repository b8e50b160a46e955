using Portal.Domain.Runs;
using Portal.Web.Features.Runs.Queries;

namespace Portal.Web.Features.Runs.Live;

public static class CurveSeries
{
    /// <summary>
    /// The series of a run that draw as curves (<see cref="MetricSeries"/>: logged at more than one step, whatever
    /// their name), each copied so the chart may keep it while the page merges more points into the original.
    /// </summary>
    public static Dictionary<string, List<CurvePoint>> Curves(IReadOnlyDictionary<string, List<CurvePoint>> series) =>
        series.Where(s => IsCurve(s.Value)).ToDictionary(s => s.Key, s => s.Value.ToList());

    public static bool IsCurve(IReadOnlyList<CurvePoint> points) => MetricSeries.KindOf(points.Select(p => p.Step)) == MetricKind.Curve;

    /// <summary>
    /// Adds a live point to a curve ordered by step. A page subscribes before it reads the run, so an event committed
    /// in between brings points the read already holds: a point at a step the curve holds replaces it instead of doubling it.
    /// </summary>
    public static void Merge(List<CurvePoint> curve, CurvePoint point)
    {
        if (curve.Count == 0 || curve[^1].Step < point.Step)
        {
            curve.Add(point);
            return;
        }

        var at = curve.FindLastIndex(p => p.Step <= point.Step);
        if (at >= 0 && curve[at].Step == point.Step)
        {
            curve[at] = point;
        }
        else
        {
            curve.Insert(at + 1, point);
        }
    }
}
