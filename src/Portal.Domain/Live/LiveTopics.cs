using Portal.Domain.Runs;

namespace Portal.Domain.Live;

/// <summary>
/// The topics of the live-event path. A topic is <c>kind:key</c>; a subscriber receives the events of the topics it
/// names and no others. Later features add theirs here (<c>model:{name}</c>, <c>deployment:{id}</c>,
/// <c>inbox:{role}</c>, <c>alerts</c>).
/// </summary>
public static class LiveTopics
{
    public const int MaxLength = 200;

    public const string RunPrefix = "run:";

    public static string Run(RunId runId) => $"{RunPrefix}{runId}";

    /// <summary>The run a topic is about, if it is a run topic.</summary>
    public static bool TryParseRun(string topic, out RunId runId)
    {
        runId = default;
        return topic.StartsWith(RunPrefix, StringComparison.Ordinal) && RunId.TryParse(topic[RunPrefix.Length..], out runId);
    }
}
