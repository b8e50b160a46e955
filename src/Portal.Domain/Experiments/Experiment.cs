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

        ArgumentOutOfRangeException.ThrowIfGreaterThan(description.Length, MaxDescriptionLength, nameof(description));
        Description = description;
    }

    public static Experiment Create(string name, string description, string ownerId, DateTimeOffset now) => new()
    {
        Id = ExperimentId.New(now),
        Name = name,
        Description = description,
        OwnerId = ownerId,
        CreatedUtc = now.UtcDateTime,
    };
}
