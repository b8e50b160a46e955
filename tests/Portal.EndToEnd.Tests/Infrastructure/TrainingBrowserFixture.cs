namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>A <see cref="PortalBrowserFixture"/> whose app runs its embedded training worker, so submitted runs train.</summary>
public sealed class TrainingBrowserFixture() : PortalBrowserFixture(new PortalAppHost(runsTrainingWorker: true));
