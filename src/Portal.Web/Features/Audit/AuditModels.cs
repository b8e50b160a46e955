namespace Portal.Web.Features.Audit;

public sealed record AuditRow(
    long Sequence, DateTime TimestampUtc, string ActorKind, string ActorId, string ActorName, string Action,
    string SubjectType, string SubjectId, string DetailsJson, string PreviousHash, string Hash);

public sealed record AuditQuery(string? Search = null, string? Action = null, string? ActorId = null, int Page = 0, int PageSize = 25);

/// <summary>Events per day, for the activity chart.</summary>
public sealed record AuditDayCount(DateOnly Day, int Count);
