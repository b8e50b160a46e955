using Portal.Domain.Runs;

namespace Portal.Web.Features.Runs.Tracking;

/// <summary>Body of <c>POST /api/runs/{id}/end</c>: Succeeded, Failed (with a reason) or Cancelled.</summary>
public sealed record EndRunRequest(string? Status, string? Reason)
{
    /// <summary>The end status by name (not by number), or null when it is none of the three.</summary>
    public RunStatus? ParsedStatus() =>
        Status is not null && !int.TryParse(Status, out _) && Enum.TryParse<RunStatus>(Status, ignoreCase: true, out var status)
        && status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled
            ? status
            : null;
}
