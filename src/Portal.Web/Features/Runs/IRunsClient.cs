namespace Portal.Web.Features.Runs;

/// <summary>What external subscribers of <see cref="RunsHub"/> receive.</summary>
public interface IRunsClient
{
    Task RunUpdated(RunUpdateMessage update);
}

/// <summary>A run moved. Points may repeat ones already received (after a subscription's snapshot, or a relay); merge by key and step.</summary>
public sealed record RunUpdateMessage(Guid RunId, string Status, double Progress, string? Stage, IReadOnlyList<MetricPointMessage> Points, string? LogLine);

/// <summary>The run as stored when the subscription began: every point so far.</summary>
public sealed record RunSnapshotMessage(Guid RunId, string Status, double Progress, string? Stage, IReadOnlyList<MetricPointMessage> Points, string? FailureReason);

public sealed record MetricPointMessage(string Key, double Value, long Step);
