using Portal.Data.Live;
using Portal.Domain.Runs;

namespace Portal.Data.Tests.Live;

/// <summary>How a run's change is stored in the outbox: every point back, in order, a diverging loss included, compactly.</summary>
public sealed class LiveEventJsonTests
{
    [Fact]
    public void ARunChangeReadsBackWithEveryPointInItsOrderInfinityAndNaNIncluded()
    {
        var runId = new RunId(Guid.NewGuid());
        MetricPoint[] points =
        [
            new("train.logLoss", 0.69, 0), new("validation.logLoss", 0.7, 0),
            new("train.logLoss", double.PositiveInfinity, 1), new("validation.logLoss", double.NaN, 1),
            new("loss", -1.5e-300, 9_000_000_000),
        ];
        var changed = new RunChanged(runId, RunStatus.Running, 0.5, "training", points, [new RunChangedLogLine(DateTime.UtcNow, "epoch 1")], null);

        var record = LiveEventJson.ToRecord(changed, DateTime.UtcNow);
        var read = Assert.IsType<RunChanged>(LiveEventJson.Read(record.Type, record.Payload));

        Assert.Equal(points.Select(p => (p.Key, p.Step)), read.Points.Select(p => (p.Key, p.Step)));
        Assert.Equal(points.Select(p => p.Value), read.Points.Select(p => p.Value));
        Assert.Equal(runId, read.RunId);
        Assert.Equal("epoch 1", Assert.Single(read.LogLines).Message);
    }

    [Fact]
    public void AThousandPointBatchIsStoredInUnderThirtyBytesAPoint()
    {
        var points = Enumerable.Range(0, 1_000).Select(i => new MetricPoint(i % 2 == 0 ? "train.logLoss" : "validation.logLoss", 1.0 / (i + 3), i / 2)).ToList();
        var changed = new RunChanged(new RunId(Guid.NewGuid()), RunStatus.Running, 0.5, "training", points, [], null);

        var record = LiveEventJson.ToRecord(changed, DateTime.UtcNow);

        Assert.True(record.Payload.Length < 30 * points.Count, $"{record.Payload.Length} characters for {points.Count} points");
    }
}
