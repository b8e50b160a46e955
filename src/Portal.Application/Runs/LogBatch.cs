namespace Portal.Application.Runs;

/// <summary>A batch logged to an external run (mlflow's limits: <see cref="MaxMetrics"/> metrics, <see cref="MaxParams"/> params, <see cref="MaxTags"/> tags).</summary>
public sealed record LogBatch(IReadOnlyList<LoggedMetric> Metrics, IReadOnlyList<LoggedPair> Params, IReadOnlyList<LoggedPair> Tags)
{
    public const int MaxMetrics = 1000;
    public const int MaxParams = 100;
    public const int MaxTags = 100;

    /// <summary>The earliest metric timestamp taken, in Unix epoch milliseconds (1970-01-01T00:00:00Z).</summary>
    public const long MinTimestampMilliseconds = 0;

    /// <summary>The latest metric timestamp taken, in Unix epoch milliseconds (9999-12-31T23:59:59.999Z, the last instant a date holds).</summary>
    public const long MaxTimestampMilliseconds = 253_402_300_799_999;

    /// <summary>The refusal of a metric timestamp out of range; null when within it.</summary>
    public static string? TimestampProblem(int index, string? key, long milliseconds) =>
        milliseconds is < MinTimestampMilliseconds or > MaxTimestampMilliseconds
            ? $"metrics[{index}] ('{key}'): timestamp must be Unix epoch milliseconds from {MinTimestampMilliseconds} (1970-01-01) to "
              + $"{MaxTimestampMilliseconds} (9999-12-31T23:59:59.999Z); got {milliseconds}."
            : null;

    /// <summary>The refusal of a batch over the limits; null when within them.</summary>
    public static string? LimitProblem(int metrics, int parameters, int tags) =>
        metrics > MaxMetrics || parameters > MaxParams || tags > MaxTags
            ? $"A batch holds at most {MaxMetrics} metrics, {MaxParams} params and {MaxTags} tags; got {metrics}, {parameters}, {tags}."
            : null;
}

/// <summary>A metric value at a step; logged at its own time when the client sent one, else at the time the batch arrived.</summary>
public sealed record LoggedMetric(string Key, double Value, long Step, DateTime? TimestampUtc);

/// <summary>A param (immutable once logged) or a tag (overwritten by a later batch).</summary>
public sealed record LoggedPair(string Key, string Value);
