using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Tests.Registry;

namespace Portal.Domain.Tests.Rollouts;

public sealed class RolloutPolicyTests
{
    [Fact]
    public void DefaultPolicyIsValid() => Assert.Null(RolloutPolicy.Default.Problem());

    [Theory]
    [InlineData(new[] { 10, 50 }, "last step is 100")]
    [InlineData(new[] { 50, 10, 100 }, "must increase")]
    [InlineData(new[] { 10, 10, 100 }, "must increase")]
    [InlineData(new[] { 0, 100 }, "between 1 and 100")]
    [InlineData(new[] { 10, 120 }, "between 1 and 100")]
    [InlineData(new int[0], "1 to 10 steps")]
    public void BadStepsAreRefusedInWords(int[] steps, string expected) =>
        Assert.Contains(expected, (RolloutPolicy.Default with { Steps = steps }).Problem());

    [Fact]
    public void MarginsConfidenceAndDurationsAreChecked()
    {
        Assert.Contains("task-metric margin", (RolloutPolicy.Default with { TaskMetricMargin = -0.1 }).Problem());
        Assert.Contains("error-rate margin", (RolloutPolicy.Default with { ErrorRateMargin = double.NaN }).Problem());
        Assert.Contains("confidence", (RolloutPolicy.Default with { Confidence = 1 }).Problem());
        Assert.Contains("maximum step duration", (RolloutPolicy.Default with { MaximumStepDuration = TimeSpan.FromMinutes(1) }).Problem());
        Assert.Contains("minimum sample", (RolloutPolicy.Default with { MinimumSamplesPerArm = 0 }).Problem());
    }

    [Fact]
    public void OnlyManagersAndAdministratorsSetAModelsRolloutPolicy()
    {
        var model = RegistryBuilder.Model();

        var byScientist = model.SetRolloutPolicy(RolloutPolicy.Default, RegistryBuilder.ScientistRoles);
        Assert.Equal(RefusalReason.RoleRequired, byScientist.Refusal!.Reason);
        Assert.Null(model.RolloutPolicy);

        Assert.True(model.SetRolloutPolicy(RolloutPolicy.Default, RegistryBuilder.ManagerRoles).Succeeded);
        Assert.Equal(RolloutPolicy.Default, model.RolloutPolicy);
        Assert.True(model.SetRolloutPolicy(null, RegistryBuilder.AdminRoles).Succeeded);
        Assert.Null(model.RolloutPolicy);
    }

    [Fact]
    public void InvalidPolicyIsRefusedAndLeavesTheModelAsItWas()
    {
        var model = RegistryBuilder.Model();

        var result = model.SetRolloutPolicy(RolloutPolicy.Default with { Steps = [10, 50] }, RegistryBuilder.ManagerRoles);

        Assert.Equal(RefusalReason.InvalidInput, result.Refusal!.Reason);
        Assert.Null(model.RolloutPolicy);
    }

    [Fact]
    public void PoliciesWithTheSameStepsAreEqual() =>
        Assert.Equal(RolloutPolicy.Default, RolloutPolicy.Default with { Steps = [10, 50, 100] });
}
