namespace Portal.Domain.Datasets;

/// <summary>Why a classification was refused; an API answers 403, 400 and 404 for them.</summary>
public enum ClassificationRefusalReason
{
    /// <summary>Only the data protection officer classifies data.</summary>
    RoleRequired,

    /// <summary>The classification given is not one a column can be set to.</summary>
    InvalidInput,

    /// <summary>The dataset version has no column of that name.</summary>
    UnknownColumn,
}
