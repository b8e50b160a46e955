namespace Portal.Domain.Experiments;

/// <summary>A named group of runs working on one question (mlflow's experiment).</summary>
public sealed class Experiment
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 2000;

    private Experiment()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    public string OwnerId { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    public static Experiment Create(string name, string description, string ownerId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name,
        Description = description,
        OwnerId = ownerId,
        CreatedUtc = now.UtcDateTime,
    };
}
