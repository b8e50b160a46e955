using System.Diagnostics.CodeAnalysis;

namespace Portal.Domain.Ids;

/// <summary>What every <see cref="IStronglyTypedId{TSelf}"/> does, written once: creation, text form and parsing.</summary>
public static class StronglyTypedId
{
    /// <summary>A version-7 Guid: ordered by creation time, so new rows append to the key's index.</summary>
    public static TId New<TId>(DateTimeOffset now)
        where TId : struct, IStronglyTypedId<TId> => TId.From(Guid.CreateVersion7(now));

    /// <summary>The plain Guid text ("D": 36 lower-case characters with hyphens), as in URLs, JSON and the audit trail.</summary>
    public static string Format(Guid value) => value.ToString("D");

    public static bool TryParse<TId>([NotNullWhen(true)] string? text, out TId id)
        where TId : struct, IStronglyTypedId<TId>
    {
        var parsed = Guid.TryParse(text, out var value);
        id = parsed ? TId.From(value) : default;
        return parsed;
    }

    public static TId Parse<TId>(string text)
        where TId : struct, IStronglyTypedId<TId> =>
        TryParse(text, out TId id) ? id : throw new FormatException($"'{text}' is not a {typeof(TId).Name} (a uuid).");
}
