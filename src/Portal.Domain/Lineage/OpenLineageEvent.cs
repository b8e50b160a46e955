namespace Portal.Domain.Lineage;

/// <summary>
/// An OpenLineage RunEvent accepted at <c>POST /api/v1/lineage</c>, kept as received (after schema validation) with the
/// fields the portal indexes. Its jobs and datasets become <see cref="ExternalLineageNode"/>s and its inputs and outputs
/// <see cref="LineageEdge"/>s, in the same transaction.
/// </summary>
public sealed class OpenLineageEvent
{
    public const int MaxPayloadLength = 1024 * 1024;

    private OpenLineageEvent()
    {
    }

    public long Id { get; private set; }

    /// <summary>START, RUNNING, COMPLETE, ABORT, FAIL or OTHER.</summary>
    public string EventType { get; private set; } = "";

    public DateTime EventTimeUtc { get; private set; }

    /// <summary>The OpenLineage run id (a UUID).</summary>
    public string RunId { get; private set; } = "";

    public string JobNamespace { get; private set; } = "";

    public string JobName { get; private set; } = "";

    public string Producer { get; private set; } = "";

    public string PayloadJson { get; private set; } = "{}";

    public DateTime ReceivedUtc { get; private set; }

    /// <summary>User id of the token's owner that posted it.</summary>
    public string ReceivedBy { get; private set; } = "";

    public static OpenLineageEvent Create(string eventType, DateTimeOffset eventTime, string runId, string jobNamespace, string jobName,
        string producer, string payloadJson, string receivedBy, DateTimeOffset now) => new()
    {
        EventType = eventType,
        EventTimeUtc = eventTime.UtcDateTime,
        RunId = runId,
        JobNamespace = jobNamespace,
        JobName = jobName,
        Producer = producer.Length > 512 ? producer[..512] : producer,
        PayloadJson = payloadJson,
        ReceivedBy = receivedBy,
        ReceivedUtc = now.UtcDateTime,
    };
}
