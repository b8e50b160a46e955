namespace Portal.Web.Features.Runs;

/// <summary>What external subscribers of <see cref="RunsHub"/> receive.</summary>
public interface IRunsClient
{
    Task RunUpdated(RunUpdateMessage update);
}

public sealed record RunUpdateMessage(Guid RunId, string Status, double Progress, string? Stage, IReadOnlyList<MetricPointMessage> Points, string? LogLine);

public sealed record MetricPointMessage(string Key, double Value, long Step);
