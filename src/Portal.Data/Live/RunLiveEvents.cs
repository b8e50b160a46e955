using Portal.Domain.Runs;

namespace Portal.Data.Live;

public static class RunLiveEvents
{
    /// <summary>
    /// Adds to <paramref name="db"/> the log line (if any) of a change to <paramref name="run"/> and the
    /// <see cref="RunChanged"/> event that tells it, both written by the context's next save with the change itself.
    /// </summary>
    public static void PublishRunChanged(this PortalDbContext db, Run run, DateTimeOffset now, string? logLine = null,
        IReadOnlyList<MetricPoint>? points = null, bool curvesCleared = false)
    {
        var stamp = RunLogLine.Stamp(now);
        if (logLine is not null)
        {
            logLine = logLine.Length > RunLogLine.MaxMessageLength ? logLine[..RunLogLine.MaxMessageLength] : logLine;
            db.RunLogLines.Add(new RunLogLine { RunId = run.Id, TimestampUtc = stamp, Message = logLine });
        }

        db.Publish(new RunChanged(run.Id, run.Status, run.Progress, run.ProgressStage, points ?? [],
            logLine is null ? [] : [new RunChangedLogLine(stamp, logLine)], run.FailureReason, curvesCleared), now);
    }
}
