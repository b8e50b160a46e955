using System.Collections;
using System.Reflection;
using Microsoft.ML;

namespace Portal.Ml.Training;

/// <summary>
/// Reads how far a running tree fit is, from the progress channel ML.NET's tree trainers report to: LightGbm's
/// boosting loop reports the iteration it is on ("iterations"), FastTree the trees it has built ("trees"). ML.NET
/// keeps that channel inside the MLContext (its environment's progress tracker, which only ML.NET's console host
/// reads), so it is reached by reflection and read by pulling, which calls the trainer's own progress callback.
/// </summary>
/// <remarks>
/// Why only a count and no loss: ML.NET 5's LightGbm loop evaluates its metric only every 50 iterations and only
/// with <c>Verbose</c> on, and with <c>Verbose</c> on its progress callback writes a metric into the units array and
/// throws when pulled; the booster and its per-iteration state are local to that loop. So the count is what can be
/// read while the native fit runs; the curve itself is the replay after the fit (see
/// docs/decisions/0003-learning-curves.md). The probe is guarded: if ML.NET's internals change, <see cref="TryCreate"/>
/// returns null (a test pins that it works with the ML.NET version the engine is built with) and a failing pull ends
/// the probe; training never depends on it.
/// </remarks>
internal sealed class FitProgressProbe
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private readonly object _tracker;
    private readonly MethodInfo _getAllProgress;
    private bool _broken;

    private FitProgressProbe(object tracker, MethodInfo getAllProgress)
    {
        _tracker = tracker;
        _getAllProgress = getAllProgress;
    }

    /// <summary>A probe on the context's progress tracker; null when ML.NET's internals are not as expected.</summary>
    public static FitProgressProbe? TryCreate(MLContext ml)
    {
        var environment = typeof(MLContext).GetField("_env", Instance)?.GetValue(ml);
        FieldInfo? trackerField = null;
        for (var type = environment?.GetType(); type is not null && trackerField is null; type = type.BaseType)
        {
            trackerField = type.GetField("ProgressTracker", Instance | BindingFlags.DeclaredOnly);
        }

        var tracker = trackerField?.GetValue(environment);
        var getAll = tracker?.GetType().GetMethod("GetAllProgress", Instance, Type.EmptyTypes);
        return tracker is not null && getAll is not null && typeof(IEnumerable).IsAssignableFrom(getAll.ReturnType)
            ? new FitProgressProbe(tracker, getAll)
            : null;
    }

    /// <summary>
    /// The current count of the running fit in <paramref name="unit"/> ("iterations" or "trees") and its limit, or
    /// null when no such calculation is reporting now (not started, finished, or the probe stopped working). Call from
    /// one thread at a time (ML.NET's tracker is not safe for concurrent readers).
    /// </summary>
    public (int Done, int Total)? Read(string unit)
    {
        if (_broken)
        {
            return null;
        }

        try
        {
            (int, int)? latest = null;
            foreach (var e in (IEnumerable)_getAllProgress.Invoke(_tracker, null)!)
            {
                var entry = Field(e, "ProgressEntry");
                if (entry is null)
                {
                    continue;
                }

                var units = Field(Field(entry, "Header"), "UnitNames") as IReadOnlyList<string>;
                var done = Field(entry, "Progress") as double?[];
                var limits = Field(entry, "ProgressLim") as double?[];
                if (units is not [var first, ..] || first != unit || done is not [{ } d, ..] || limits is not [{ } l, ..] || l < 1)
                {
                    continue;
                }

                latest = ((int)Math.Clamp(d, 0, l), (int)l);
            }

            return latest;
        }
        catch (Exception e) when (e is TargetInvocationException or InvalidCastException or MemberAccessException or ArgumentException)
        {
            _broken = true;
            return null;
        }
    }

    private static object? Field(object? target, string name) =>
        target?.GetType().GetField(name, Instance)?.GetValue(target);
}
