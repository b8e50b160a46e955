using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
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

    public const string PromotionPrefix = "promotion:";

    public const string ModelPrefix = "model:";

    public const string RolloutPrefix = "rollout:";

    /// <summary>Every promotion request's arrival, evaluation and decision: the managers' and the DPO's inbox badges follow it.</summary>
    public const string Inbox = "inbox";

    /// <summary>A model's monitoring windows and alerts: its dashboard's stream.</summary>
    public const string MonitoringPrefix = "monitoring:";

    /// <summary>Every alert of every model: the alert badge and the alerts page.</summary>
    public const string Alerts = "alerts";

    /// <summary>The DPO's workspace: columns to classify, retention expiries, erasure marks and purges.</summary>
    public const string DataProtection = "dataprotection";

    public static string Run(RunId runId) => $"{RunPrefix}{runId}";

    /// <summary>One promotion request: its evaluation's progress and every decision on it.</summary>
    public static string Promotion(PromotionRequestId requestId) => $"{PromotionPrefix}{requestId}";

    /// <summary>One registered model: new versions, stage changes, its requests.</summary>
    public static string Model(RegisteredModelId modelId) => $"{ModelPrefix}{modelId}";

    /// <summary>One staged rollout: its steps, analyses and every hand on it (pause, resume, abort, roll back).</summary>
    public static string Rollout(RolloutId rolloutId) => $"{RolloutPrefix}{rolloutId}";

    public static string Monitoring(RegisteredModelId modelId) => $"{MonitoringPrefix}{modelId}";

    public static bool IsMonitoringTopic(string topic) =>
        topic == Alerts
        || (topic.StartsWith(MonitoringPrefix, StringComparison.Ordinal) && RegisteredModelId.TryParse(topic[MonitoringPrefix.Length..], out _));

    public static bool IsRegistryTopic(string topic) =>
        topic == Inbox
        || (topic.StartsWith(RolloutPrefix, StringComparison.Ordinal) && RolloutId.TryParse(topic[RolloutPrefix.Length..], out _))
        || (topic.StartsWith(PromotionPrefix, StringComparison.Ordinal) && PromotionRequestId.TryParse(topic[PromotionPrefix.Length..], out _))
        || (topic.StartsWith(ModelPrefix, StringComparison.Ordinal) && RegisteredModelId.TryParse(topic[ModelPrefix.Length..], out _));

    /// <summary>The run a topic is about, if it is a run topic.</summary>
    public static bool TryParseRun(string topic, out RunId runId)
    {
        runId = default;
        return topic.StartsWith(RunPrefix, StringComparison.Ordinal) && RunId.TryParse(topic[RunPrefix.Length..], out runId);
    }
}
