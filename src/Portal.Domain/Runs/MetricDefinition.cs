namespace Portal.Domain.Runs;

/// <summary>
/// What a metric is: its stored name (ML.NET's, in camelCase), the name people read, which way it improves and how
/// its value is shown. One entry per metric in <see cref="MetricCatalog"/>.
/// </summary>
public sealed record MetricDefinition(string Name, string DisplayName, MetricDirection Direction, MetricFormat Format)
{
    /// <summary>"higher is better", "lower is better", or empty when unknown.</summary>
    public string DirectionText => Direction switch
    {
        MetricDirection.HigherIsBetter => "higher is better",
        MetricDirection.LowerIsBetter => "lower is better",
        _ => string.Empty,
    };
}
