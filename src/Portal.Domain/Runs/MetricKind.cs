namespace Portal.Domain.Runs;

/// <summary>What a logged metric is, read from how it was logged (<see cref="MetricSeries.KindOf"/>), never from its name.</summary>
public enum MetricKind
{
    /// <summary>Logged at one step only: a single value, such as an evaluation metric at the end of training.</summary>
    Final = 0,

    /// <summary>Logged at more than one step: a learning curve, drawn against its steps.</summary>
    Curve = 1,
}
