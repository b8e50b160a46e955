using Portal.Application.Monitoring;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Serving;

namespace Portal.Worker.Tests.Monitoring;

/// <summary>How logged batches are cut into closed windows: by aligned minutes of prediction time, by row count, never across versions.</summary>
public sealed class WindowCutterTests
{
    private static readonly DateTime Nine = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly ModelVersionId V1 = ModelVersionId.New(Nine);
    private static readonly ModelVersionId V2 = ModelVersionId.New(Nine.AddSeconds(1));
    private static readonly MonitoringPolicy Policy = MonitoringPolicy.Default with { WindowMinutes = 1, WindowRows = 100 };

    [Fact]
    public void TimeWindowsAreAlignedMinutesAndTheLastClosesOnlyWhenItsEndIsBeforeTheReadLimit()
    {
        BatchHeader[] headers = [At(10, 40), At(50, 40), At(70, 40), At(130, 40)];

        var open = WindowCutter.Cut(headers, WindowKind.Time, Policy, Nine.AddSeconds(179), truncated: false);
        var closed = WindowCutter.Cut(headers, WindowKind.Time, Policy, Nine.AddSeconds(180), truncated: false);

        Assert.Equal([(0, 1, Nine, 80L), (2, 2, Nine.AddMinutes(1), 40L)], open.Select(w => (w.First, w.Last, w.StartUtc, w.Rows)));
        Assert.Equal(3, closed.Count);
        Assert.Equal((Nine.AddMinutes(2), Nine.AddMinutes(3)), (closed[2].StartUtc, closed[2].EndUtc));
    }

    [Fact]
    public void ATruncatedReadNeverClosesItsLastTimeWindow()
    {
        BatchHeader[] headers = [At(10, 40), At(20, 40)];

        Assert.Empty(WindowCutter.Cut(headers, WindowKind.Time, Policy, Nine.AddHours(1), truncated: true));
    }

    [Fact]
    public void CountWindowsCloseOnceFullOfWholeBatchesOrWhenAnotherVersionAnswers()
    {
        BatchHeader[] headers = [At(1, 60), At(2, 60), At(3, 30), At(4, 30, V2), At(5, 80, V2)];

        var windows = WindowCutter.Cut(headers, WindowKind.Count, Policy, Nine.AddHours(1), truncated: false);

        Assert.Equal([(0, 1, 120L, V1), (2, 2, 30L, V1), (3, 4, 110L, V2)], windows.Select(w => (w.First, w.Last, w.Rows, w.VersionId)));
        Assert.Equal((Nine.AddSeconds(1), Nine.AddSeconds(2).AddTicks(1)), (windows[0].StartUtc, windows[0].EndUtc));
    }

    private static BatchHeader At(int second, int rows, ModelVersionId? version = null) =>
        new(PredictionBatchId.New(Nine.AddSeconds(second)), Nine.AddSeconds(second), rows, version ?? V1, version == V2 ? 2 : 1);
}
