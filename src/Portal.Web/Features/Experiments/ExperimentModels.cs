using Portal.Domain.Experiments;

namespace Portal.Web.Features.Experiments;

/// <summary>An experiment as lists show it: what it is about, whose it is, and how its runs stand.</summary>
public sealed record ExperimentRow(
    ExperimentId Id,
    string Name,
    string Description,
    string OwnerId,
    string Owner,
    DateTime CreatedUtc,
    int Runs,
    int ActiveRuns,
    int SucceededRuns,
    DateTime? LastRunUtc);

/// <summary>Body of <c>POST /api/experiments</c>.</summary>
public sealed record CreateExperimentRequest(string? Name, string? Description);

/// <summary>Body of <c>PUT /api/experiments/{id}/description</c>.</summary>
public sealed record DescribeExperimentRequest(string? Description);

public sealed record ExperimentQuery(string? Search = null, string SortBy = "lastRun", bool Descending = true, int Page = 0, int PageSize = 25)
{
    public static readonly IReadOnlyList<string> SortKeys = ["lastRun", "name", "created", "runs"];

    /// <summary>What is wrong with the query, said so that the caller can fix it; null when it is valid.</summary>
    public string? Problem() =>
        SortKeys.Contains(SortBy, StringComparer.OrdinalIgnoreCase) ? null : $"sortBy must be one of {string.Join(", ", SortKeys)}.";
}
