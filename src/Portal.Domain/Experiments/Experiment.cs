using Portal.Domain.Text;

namespace Portal.Domain.Experiments;

/// <summary>A named group of runs working on one question (mlflow's experiment).</summary>
public sealed class Experiment
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 2000;

    private Experiment()
    {
    }

    public ExperimentId Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The name as uniqueness compares it (<see cref="TextRule.NormalizedName"/>): "Churn" and "churn" are one experiment.</summary>
    public string NormalizedName { get; private set; } = "";

    public string Description { get; private set; } = "";

    public string OwnerId { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    /// <summary>Only the owner words what the experiment is about; everyone with a reading role sees it.</summary>
    public bool MayBeDescribedBy(string userId) => userId == OwnerId;

    /// <summary>Replaces the description; refused for anyone but the owner and beyond <see cref="MaxDescriptionLength"/>.</summary>
    public void Describe(string description, string byUserId)
    {
        if (!MayBeDescribedBy(byUserId))
        {
            throw new InvalidOperationException("Only the experiment's owner may change its description.");
        }

        if (DescriptionProblem(description) is { } problem)
        {
            throw new ArgumentException(problem, nameof(description));
        }

        Description = description;
    }

    /// <summary>What is wrong with the name, said so that the user can fix it (<paramref name="field"/> is what the caller calls it); null when valid.</summary>
    public static string? NameProblem(string? name, string field = "name") => TextRule.NameProblem(field, name, MaxNameLength);

    /// <summary>What is wrong with the description; null when valid.</summary>
    public static string? DescriptionProblem(string? description) => TextRule.FreeTextProblem("description", description, MaxDescriptionLength);

    /// <summary>A new experiment; the name is trimmed. Refused (ArgumentException) for a name or description the text rule refuses.</summary>
    public static Experiment Create(string name, string description, string ownerId, DateTimeOffset now)
    {
        if ((NameProblem(name) ?? DescriptionProblem(description)) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        return new()
        {
            Id = ExperimentId.New(now),
            Name = name.Trim(),
            NormalizedName = TextRule.NormalizedName(name),
            Description = description,
            OwnerId = ownerId,
            CreatedUtc = now.UtcDateTime,
        };
    }
}
