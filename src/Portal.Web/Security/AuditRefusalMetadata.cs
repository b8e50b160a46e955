using Portal.Domain.Audit;

namespace Portal.Web.Security;

/// <summary>
/// Marks an endpoint whose refusal by policy is itself a governance event (someone without the role tried to let a model in):
/// the 403 is written to the audit trail as <see cref="Action"/> on the subject named by the route value <see cref="RouteKey"/>.
/// </summary>
internal sealed record AuditRefusalMetadata(AuditAction Action, AuditSubjectKind SubjectKind, string RouteKey);

internal static class AuditRefusalExtensions
{
    public static TBuilder AuditsRefusal<TBuilder>(this TBuilder builder, AuditAction action, AuditSubjectKind subjectKind, string routeKey)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditRefusalMetadata(action, subjectKind, routeKey));
}
