namespace Portal.Domain.Audit;

/// <summary>The actor of an audit entry. <see cref="Id"/> is a user id or a service name; <see cref="Name"/> is for people to read.</summary>
public sealed record AuditActor(ActorKind Kind, string Id, string Name)
{
    public static AuditActor User(string userId, string userName) => new(ActorKind.User, userId, userName);

    public static AuditActor Service(string serviceName) => new(ActorKind.Service, serviceName, serviceName);

    /// <summary>Someone not signed in, e.g. a failed sign-in for an unknown address (the name is what they typed).</summary>
    public static AuditActor Anonymous(string claimedName) => new(ActorKind.Anonymous, "", claimedName);
}
