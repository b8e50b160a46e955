using System.Text.Json.Nodes;

namespace Portal.Domain.Diagnostics;

/// <summary>
/// A problem a diagnostics rule found in a run, with the evidence (numbers, the steps concerned) that a person
/// can check. <see cref="Rule"/> is one of <see cref="DiagnosticRules"/>.
/// </summary>
public sealed record DiagnosticFinding(string Rule, DiagnosticSeverity Severity, string Message, JsonObject Evidence);
