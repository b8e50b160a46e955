using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;

namespace Portal.Application.Monitoring;

/// <summary>The monitoring loop's live events, added to the window's own save (ADR 0006): committed with it or not at all.</summary>
public static class MonitoringEvents
{
    /// <summary>Tells the model's dashboard that a window was written or its labels changed.</summary>
    public static void PublishMonitoringChanged(this PortalDbContext db, MonitoringWindow window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(window);
        db.Publish(new MonitoringChanged(LiveTopics.Monitoring(window.ModelId), window.ModelId, window.Id, window.VersionNumber, window.Kind, window.EndUtc, window.Rows,
            window.Accuracy, window.MeanAbsoluteError, window.DriftedFeatures, window.Summary), now);
    }
}
