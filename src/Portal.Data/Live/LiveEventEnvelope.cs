using Portal.Domain.Live;

namespace Portal.Data.Live;

/// <summary>A committed live event with its place in the outbox.</summary>
public sealed record LiveEventEnvelope(long Sequence, string Topic, string Type, ILiveEvent Event);
