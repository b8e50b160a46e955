namespace Portal.Ml.Training;

/// <summary>The request cannot be trained as given (unknown trainer, bad hyperparameter, unusable label).</summary>
public sealed class TrainingValidationException(IReadOnlyList<string> errors)
    : Exception(string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
