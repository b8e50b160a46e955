using Portal.Domain.Diagnostics;

namespace Portal.Domain.Runs;

/// <summary>A diagnostics finding stored with its run.</summary>
public sealed class RunDiagnostic
{
    public long Id { get; set; }

    public RunId RunId { get; set; }

    public string Rule { get; set; } = "";

    public DiagnosticSeverity Severity { get; set; }

    public string Message { get; set; } = "";

    public string EvidenceJson { get; set; } = "{}";

    public DateTime CreatedUtc { get; set; }
}
