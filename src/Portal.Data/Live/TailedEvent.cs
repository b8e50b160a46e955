namespace Portal.Data.Live;

/// <summary>
/// An event as the tail hands it to the bus: read with its payload when its topic had subscribers at the time of the
/// read, otherwise without (<see cref="Envelope"/> null) — a subscriber that registers in between loads it by sequence.
/// Unwatched topics (a bulk log-batch nobody is looking at) cost the tail no payload read and no deserialization.
/// </summary>
internal sealed record TailedEvent(long Sequence, string Topic, LiveEventEnvelope? Envelope);
