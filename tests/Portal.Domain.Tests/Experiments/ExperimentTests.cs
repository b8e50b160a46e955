using Portal.Domain.Experiments;

namespace Portal.Domain.Tests.Experiments;

public sealed class ExperimentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OwnerRewordsTheDescription()
    {
        var experiment = Experiment.Create("churn", "first", "owner-1", Now);

        experiment.Describe("second", "owner-1");

        Assert.Equal("second", experiment.Description);
    }

    [Fact]
    public void AnyoneElseIsRefusedAndTheDescriptionStays()
    {
        var experiment = Experiment.Create("churn", "first", "owner-1", Now);

        var error = Assert.Throws<InvalidOperationException>(() => experiment.Describe("hijacked", "someone-else"));

        Assert.Contains("owner", error.Message);
        Assert.Equal("first", experiment.Description);
        Assert.False(experiment.MayBeDescribedBy("someone-else"));
    }

    [Fact]
    public void ADescriptionOverTheLimitIsRefused()
    {
        var experiment = Experiment.Create("churn", "first", "owner-1", Now);

        Assert.Throws<ArgumentException>(() => experiment.Describe(new string('x', Experiment.MaxDescriptionLength + 1), "owner-1"));
        Assert.Equal("first", experiment.Description);
    }

    [Theory]
    [InlineData("churn[31m", "")]
    [InlineData("churn", "invoice ‮exe.txt")]
    [InlineData("", "")]
    public void AnExperimentIsNotCreatedWithANameOrDescriptionTheTextRuleRefuses(string name, string description) =>
        Assert.Throws<ArgumentException>(() => Experiment.Create(name, description, "owner-1", Now));

    [Fact]
    public void TheNameIsStoredTrimmedWithTheKeyUniquenessCompares()
    {
        var experiment = Experiment.Create("  Churn ", "", "owner-1", Now);

        Assert.Equal("Churn", experiment.Name);
        Assert.Equal(Experiment.Create("churn", "", "owner-2", Now).NormalizedName, experiment.NormalizedName);
    }
}
