namespace Portal.Domain.Ids;

/// <summary>
/// An entity's id: a Guid in a type of its own, so a run's id cannot be passed where a dataset's is expected. Every
/// entity gets one (<c>RunId</c>, <c>DatasetId</c>, ...), declared beside the entity as a
/// <c>readonly record struct XId(Guid Value)</c> whose members delegate to <see cref="StronglyTypedId"/>. The database
/// stores the plain Guid (one EF value converter for all, registered in <c>PortalDbContext.ConfigureConventions</c>) and
/// JSON carries the plain uuid string (<see cref="StronglyTypedIdJsonConverter{TId}"/>, named on the type).
/// </summary>
public interface IStronglyTypedId<TSelf>
    where TSelf : struct, IStronglyTypedId<TSelf>
{
    Guid Value { get; }

    static abstract TSelf From(Guid value);
}
