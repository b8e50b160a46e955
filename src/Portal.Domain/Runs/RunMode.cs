namespace Portal.Domain.Runs;

/// <summary>Managed runs are trained by Portal's workers; external runs are trained elsewhere and logged through the API.</summary>
public enum RunMode
{
    Managed = 0,
    External = 1,
}
