using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Serving;

namespace Portal.Application.Monitoring;

/// <summary>What the loop needs of a logged batch to cut windows, read without its rows.</summary>
public readonly record struct BatchHeader(PredictionBatchId Id, DateTime ReceivedUtc, int RowCount, ModelVersionId VersionId, int VersionNumber);

/// <summary>A closed window: the batches <see cref="First"/>..<see cref="Last"/> (inclusive, in read order) answered by one version.</summary>
public sealed record WindowSpan(int First, int Last, DateTime StartUtc, DateTime EndUtc, ModelVersionId VersionId, int VersionNumber, long Rows);

/// <summary>
/// Cuts a model's logged batches, read in (received time, id) order, into closed windows. A time window is the span
/// [k·length, (k+1)·length) of prediction time; a count window gathers whole batches until it holds the policy's rows. A window
/// holds one version's rows: a new version answering closes it. Only closed windows are returned: a time window closes when a
/// later batch was read or when its end is before <c>readUntilUtc</c> and every batch up to then was read; a count window when
/// it is full or a later version answers. What follows the last closed window is read again next round.
/// </summary>
public static class WindowCutter
{
    public static IReadOnlyList<WindowSpan> Cut(IReadOnlyList<BatchHeader> headers, WindowKind kind, MonitoringPolicy policy, DateTime readUntilUtc, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(policy);
        var closed = new List<WindowSpan>();
        var first = 0;
        long rows = 0;
        for (var i = 0; i < headers.Count; i++)
        {
            rows += headers[i].RowCount;
            var next = i + 1 < headers.Count ? headers[i + 1] : (BatchHeader?)null;
            var versionChanges = next is { } n && n.VersionId != headers[i].VersionId;
            bool close;
            DateTime start, end;
            if (kind == WindowKind.Time)
            {
                (start, end) = TimeBounds(headers[first].ReceivedUtc, policy.WindowMinutes);
                close = next is { } later
                    ? versionChanges || later.ReceivedUtc >= end
                    : !truncated && end <= readUntilUtc;
            }
            else
            {
                start = headers[first].ReceivedUtc;
                end = headers[i].ReceivedUtc.AddTicks(1);
                close = rows >= policy.WindowRows || versionChanges;
            }

            if (close)
            {
                closed.Add(new WindowSpan(first, i, start, end, headers[i].VersionId, headers[i].VersionNumber, rows));
                first = i + 1;
                rows = 0;
            }
        }

        return closed;
    }

    /// <summary>The time window holding <paramref name="utc"/>: aligned on multiples of its length since the epoch, so every worker cuts the same windows.</summary>
    public static (DateTime Start, DateTime End) TimeBounds(DateTime utc, int windowMinutes)
    {
        var length = TimeSpan.FromMinutes(windowMinutes).Ticks;
        var start = utc.Ticks - (utc.Ticks % length);
        return (new DateTime(start, DateTimeKind.Utc), new DateTime(start + length, DateTimeKind.Utc));
    }
}
