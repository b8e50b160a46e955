namespace Portal.Domain.Registry;

/// <summary>The outcome of a registry or promotion operation: done, or refused with a <see cref="Refusal"/> and nothing changed.</summary>
public sealed record RegistryResult(Refusal? Refusal)
{
    public static readonly RegistryResult Done = new((Refusal?)null);

    public bool Succeeded => Refusal is null;

    public static RegistryResult Refused(RefusalReason reason, string message) => new(new Refusal(reason, message));

    public static implicit operator RegistryResult(Refusal? refusal) => refusal is null ? Done : new(refusal);
}
