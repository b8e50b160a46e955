using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Domain.Ids;

namespace Portal.Data.Conventions;

/// <summary>
/// Stores a typed id as its plain Guid, so the column is exactly what a bare Guid maps to (SQLite TEXT, PostgreSQL
/// uuid) and queries compare, join and index on it as before. Registered for every id type in
/// <see cref="PortalDbContext"/>'s <c>ConfigureConventions</c>.
/// </summary>
public sealed class StronglyTypedIdConverter<TId>() : ValueConverter<TId, Guid>(ToGuid, FromGuid)
    where TId : struct, IStronglyTypedId<TId>
{
    private static readonly Expression<Func<TId, Guid>> ToGuid = id => id.Value;

    // An expression tree cannot call a static abstract member (TId.From), so it calls the id's (Guid) constructor.
    private static readonly Expression<Func<Guid, TId>> FromGuid = ConstructFromGuid();

    private static Expression<Func<Guid, TId>> ConstructFromGuid()
    {
        var value = Expression.Parameter(typeof(Guid), "value");
        var constructor = typeof(TId).GetConstructor([typeof(Guid)])
            ?? throw new InvalidOperationException($"{typeof(TId).Name} has no constructor taking its Guid.");
        return Expression.Lambda<Func<Guid, TId>>(Expression.New(constructor, value), value);
    }
}
