namespace Portal.Domain.Tests.Datasets;

/// <summary>A clock stopped at a given instant.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
