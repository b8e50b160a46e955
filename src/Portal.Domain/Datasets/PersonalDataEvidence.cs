namespace Portal.Domain.Datasets;

/// <summary>One reason for suspecting personal data, worded for the DPO (for example "94% of 200 sampled values are e-mail addresses").</summary>
public sealed record PersonalDataEvidence(PersonalDataKind Kind, string Reason);
