namespace Portal.Ml.Catalog;

/// <summary>One tunable hyperparameter of a trainer: its name (API spelling), whether it is an integer, default and allowed range.</summary>
public sealed record HyperparameterSpec(string Name, bool IsInteger, double Default, double Min, double Max, string Description);
