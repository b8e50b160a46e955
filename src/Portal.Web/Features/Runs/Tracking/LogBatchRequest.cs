using Portal.Application.Runs;

namespace Portal.Web.Features.Runs.Tracking;

public sealed record LoggedMetricJson(string? Key, double? Value, long? Step, long? Timestamp);

public sealed record LoggedPairJson(string? Key, string? Value);

/// <summary>Body of <c>POST /api/runs/{id}/log-batch</c> (mlflow's shape and limits: 1000 metrics, 100 params, 100 tags).</summary>
public sealed record LogBatchRequest(List<LoggedMetricJson>? Metrics, List<LoggedPairJson>? Params, List<LoggedPairJson>? Tags)
{
    /// <summary>The typed batch, or what in the body is missing (a key, a value), said so that the caller can fix it.</summary>
    public OperationResult<LogBatch> ToLogBatch()
    {
        List<LoggedMetricJson> metrics = Metrics ?? [];
        List<LoggedPairJson> parameters = Params ?? [];
        List<LoggedPairJson> tags = Tags ?? [];
        if (LogBatch.LimitProblem(metrics.Count, parameters.Count, tags.Count) is { } limits)
        {
            return Invalid(limits);
        }

        var typedMetrics = new List<LoggedMetric>(metrics.Count);
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            if (m is null)
            {
                return Invalid($"metrics[{i}] is null: give each metric as an object with a key and a value.");
            }

            if (m.Key is null)
            {
                return Invalid($"metrics[{i}]: {ExternalRunTracking.KeyError(null)}");
            }

            if (m.Value is not { } value)
            {
                return Invalid(ExternalRunTracking.ValueNotFinite(i, m.Key));
            }

            // mlflow's timestamps are Unix epoch milliseconds.
            if (m.Timestamp is { } timestamp && LogBatch.TimestampProblem(i, m.Key, timestamp) is { } timestampProblem)
            {
                return Invalid(timestampProblem);
            }

            typedMetrics.Add(new LoggedMetric(m.Key, value, m.Step ?? 0, m.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : null));
        }

        var typedPairs = new List<LoggedPair>[2];
        foreach (var (index, pairs, what) in new[] { (0, parameters, "params"), (1, tags, "tags") })
        {
            typedPairs[index] = new List<LoggedPair>(pairs.Count);
            for (var i = 0; i < pairs.Count; i++)
            {
                if (pairs[i] is null)
                {
                    return Invalid($"{what}[{i}] is null: give each entry as an object with a key and a value.");
                }

                if (pairs[i].Key is null)
                {
                    return Invalid($"{what}[{i}]: {ExternalRunTracking.KeyError(null)}");
                }

                if (pairs[i].Value is null)
                {
                    return Invalid(ExternalRunTracking.ValueRequired(what, i, pairs[i].Key));
                }

                typedPairs[index].Add(new LoggedPair(pairs[i].Key!, pairs[i].Value!));
            }
        }

        return OperationResult<LogBatch>.Ok(new LogBatch(typedMetrics, typedPairs[0], typedPairs[1]));
    }

    private static OperationResult<LogBatch> Invalid(string error) => OperationResult<LogBatch>.Fail(OperationStatus.Invalid, error);
}
