namespace Portal.Domain.Runs;

/// <summary>The learning task of a run (API values: binary, multiclass, regression).</summary>
public enum MlTask
{
    Binary = 0,
    Multiclass = 1,
    Regression = 2,
}
