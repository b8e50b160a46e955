namespace Portal.Domain.Runs;

/// <summary>
/// A finished run's evaluation beyond its metrics, stored once with the run (its id is the run's): confusion matrix and
/// per-class metrics for classification, the residual summary for regression, as the trainer's JSON.
/// </summary>
public sealed class RunEvaluation
{
    public RunId RunId { get; set; }

    public string Json { get; set; } = "{}";

    public DateTime CreatedUtc { get; set; }
}
