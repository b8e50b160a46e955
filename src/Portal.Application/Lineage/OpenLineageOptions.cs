using System.ComponentModel.DataAnnotations;
using Portal.Domain.Lineage;
using Portal.Domain.Webhooks;

namespace Portal.Application.Lineage;

/// <summary>Where Portal sends the OpenLineage RunEvents of its training runs (section <c>OpenLineage</c>).</summary>
public sealed class OpenLineageOptions : IValidatableObject
{
    public const string SectionName = "OpenLineage";

    /// <summary>
    /// The receiver's lineage URL, e.g. Marquez's <c>http://marquez:5000/api/v1/lineage</c>; empty: nothing is emitted.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The namespace of Portal's jobs (experiments) and datasets in the events it sends, and the one it recognises in events it receives.</summary>
    [Required]
    [StringLength(ExternalLineageNode.MaxNamespaceLength, MinimumLength = 1)]
    public string Namespace { get; set; } = "portal";

    /// <summary>Sent as <c>Authorization: Bearer &lt;ApiKey&gt;</c> when set; keep it in user secrets or the environment, never in a file.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long the receiver may take to answer before the attempt counts as failed and is retried later.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && WebhookSubscription.UrlProblem(Endpoint) is { } problem)
        {
            yield return new ValidationResult($"OpenLineage:Endpoint: {problem}", [nameof(Endpoint)]);
        }

        if (Namespace.Contains('/', StringComparison.Ordinal) || Namespace.Any(char.IsControl))
        {
            yield return new ValidationResult("OpenLineage:Namespace must not contain '/' or control characters (a node id is namespace/name).", [nameof(Namespace)]);
        }
    }
}
