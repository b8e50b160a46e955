namespace Portal.Domain.Audit;

/// <summary>Who performed an audited act: a person (user id) or a service (host or worker name).</summary>
public enum ActorKind
{
    User = 0,
    Service = 1,
    Anonymous = 2,
}
