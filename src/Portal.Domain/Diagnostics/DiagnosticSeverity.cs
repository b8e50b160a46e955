namespace Portal.Domain.Diagnostics;

public enum DiagnosticSeverity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}
