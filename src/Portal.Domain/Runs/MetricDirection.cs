namespace Portal.Domain.Runs;

/// <summary>Which way a metric improves, from its definition (<see cref="MetricCatalog"/>), never guessed from its name.</summary>
public enum MetricDirection
{
    /// <summary>No definition says (a metric an external run made up): no value is marked best.</summary>
    Unknown = 0,
    HigherIsBetter = 1,
    LowerIsBetter = 2,
}
