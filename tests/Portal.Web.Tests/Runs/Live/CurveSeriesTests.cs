using Portal.Web.Features.Runs.Live;
using Portal.Web.Features.Runs.Queries;

namespace Portal.Web.Tests.Runs.Live;

/// <summary>The run page merges live points: an event may bring a point the page's own read already holds.</summary>
public sealed class CurveSeriesTests
{
    [Fact]
    public void PointsInStepOrderAreAppended()
    {
        var curve = new List<CurvePoint> { new(0, 1.0) };

        CurveSeries.Merge(curve, new CurvePoint(1, 0.9));
        CurveSeries.Merge(curve, new CurvePoint(2, 0.8));

        Assert.Equal([new(0, 1.0), new(1, 0.9), new(2, 0.8)], curve);
    }

    [Fact]
    public void APointAtAStepTheCurveHoldsReplacesItInsteadOfDoublingIt()
    {
        var curve = new List<CurvePoint> { new(0, 1.0), new(1, 0.9), new(2, 0.8) };

        CurveSeries.Merge(curve, new CurvePoint(1, 0.9));
        CurveSeries.Merge(curve, new CurvePoint(2, 0.7));

        Assert.Equal([new(0, 1.0), new(1, 0.9), new(2, 0.7)], curve);
    }

    [Fact]
    public void ALatePointIsInsertedAtItsStep()
    {
        var curve = new List<CurvePoint> { new(0, 1.0), new(2, 0.8) };

        CurveSeries.Merge(curve, new CurvePoint(1, 0.9));
        CurveSeries.Merge(curve, new CurvePoint(-1, 2.0));

        Assert.Equal([new(-1, 2.0), new(0, 1.0), new(1, 0.9), new(2, 0.8)], curve);
    }
}
