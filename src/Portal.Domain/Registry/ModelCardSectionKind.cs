namespace Portal.Domain.Registry;

/// <summary>The sections of a model card that people write (the rest of the card is generated from facts).</summary>
public enum ModelCardSectionKind
{
    IntendedUse = 0,
    Limitations = 1,
    EthicalConsiderations = 2,
}
