using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Tests.Registry;

namespace Portal.Domain.Tests.Rollouts;

/// <summary>A model with a champion (version 1) and an approved challenger (version 2), and rollouts of it.</summary>
internal static class RolloutBuilder
{
    public static readonly DateTimeOffset Now = RegistryBuilder.Now;

    public static readonly RolloutPolicy Policy = new([10, 50, 100], 100, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), 0.02, 0.01, 0.95);

    public static (RegisteredModel Model, PromotionTransition Transition) ModelWithChallenger()
    {
        var model = RegistryBuilder.Model();
        var champion = RegistryBuilder.Version(model);
        Assert.True(model.Apply(Transition(model, champion), Now).Succeeded);
        var challenger = RegistryBuilder.Version(model);
        return (model, Transition(model, challenger));
    }

    public static PromotionTransition Transition(RegisteredModel model, ModelVersion version) =>
        new(PromotionRequestId.New(Now), model.Id, version.Id, ModelStage.Production, [RegistryBuilder.Manager, RegistryBuilder.OtherManager], "better",
            RegistryBuilder.EvidenceA, false);

    public static (RegisteredModel Model, Rollout Rollout) Started(RolloutPolicy? policy = null)
    {
        var (model, transition) = ModelWithChallenger();
        return (model, Rollout.Start(model, transition, policy ?? Policy, Now));
    }

    /// <summary>Classification counts: rows and errors, labelled and correct per arm.</summary>
    public static RolloutAnalysis Classification(long championLabelled, long championCorrect, long canaryLabelled, long canaryCorrect,
        long championRows = -1, long championErrors = 0, long canaryRows = -1, long canaryErrors = 0) =>
        new(new(championRows < 0 ? championLabelled : championRows, championErrors, championLabelled, championCorrect, 0, 0, 0),
            new(canaryRows < 0 ? canaryLabelled : canaryRows, canaryErrors, canaryLabelled, canaryCorrect, 0, 0, 0));

    /// <summary>A canary as good as the champion, with plenty of samples: passes at 95 % with a 2-point margin.</summary>
    public static RolloutAnalysis Equal => Classification(5000, 4500, 5000, 4500);

    /// <summary>A canary clearly worse (80 % against 90 %).</summary>
    public static RolloutAnalysis Worse => Classification(2000, 1800, 2000, 1600);
}
