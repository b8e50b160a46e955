namespace Portal.Ml.Governance;

/// <summary>The promotion cannot be evaluated as asked (a model needs a column the rows lack, an unknown sensitive column, bad options); the errors say what to fix.</summary>
public sealed class PromotionEvaluationException(IReadOnlyList<string> errors)
    : Exception(string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
