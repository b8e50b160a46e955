using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;

namespace Portal.Domain.Live;

/// <summary>
/// Every event type the live-event path carries, by the stable name stored with it in the outbox (a rename of the
/// CLR type must not orphan stored events). Add new event types here.
/// </summary>
public static class LiveEventTypes
{
    private static readonly (string Name, Type Type)[] All =
    [
        ("run.changed", typeof(RunChanged)),
        ("promotion.changed", typeof(PromotionChanged)),
        ("model.changed", typeof(ModelChanged)),
        ("rollout.changed", typeof(RolloutChanged)),
        ("monitoring.changed", typeof(MonitoringChanged)),
        ("alert.changed", typeof(AlertChanged)),
        ("dataprotection.changed", typeof(Privacy.DataProtectionChanged)),
    ];

    private static readonly Dictionary<string, Type> ByName = All.ToDictionary(e => e.Name, e => e.Type, StringComparer.Ordinal);

    private static readonly Dictionary<Type, string> ByType = All.ToDictionary(e => e.Type, e => e.Name);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string NameOf(ILiveEvent liveEvent) =>
        ByType.TryGetValue(liveEvent.GetType(), out var name)
            ? name
            : throw new InvalidOperationException($"{liveEvent.GetType().Name} is not declared in {nameof(LiveEventTypes)}.");

    public static Type? TypeOf(string name) => ByName.GetValueOrDefault(name);
}
