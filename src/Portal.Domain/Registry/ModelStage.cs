namespace Portal.Domain.Registry;

/// <summary>
/// Where a model version stands: None → Staging → Production → Archived (a version may go to Production from None or
/// Staging). Archived is final. At most one version of a model is in Production: the champion.
/// </summary>
public enum ModelStage
{
    None = 0,
    Staging = 1,
    Production = 2,
    Archived = 3,
}
