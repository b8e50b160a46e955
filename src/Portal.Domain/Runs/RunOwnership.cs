using Portal.Domain.Security;

namespace Portal.Domain.Runs;

/// <summary>
/// Who may change a run, for every <see cref="RunChange"/>: its submitter; and, to cancel, an Administrator (operators
/// must be able to stop a runaway job). Business managers, data protection officers and other data scientists may not:
/// they read runs, they do not steer someone else's work. Every use case that changes a run asks here first.
/// </summary>
public static class RunOwnership
{
    /// <summary>The decision for <paramref name="actorId"/> holding <paramref name="actorRoles"/> on a run submitted by <paramref name="submitterId"/>.</summary>
    public static RunChangeDecision Decide(RunChange change, string submitterId, string actorId, IEnumerable<string> actorRoles)
    {
        if (!string.IsNullOrEmpty(actorId) && string.Equals(actorId, submitterId, StringComparison.Ordinal))
        {
            return RunChangeDecision.AsSubmitter;
        }

        if (change == RunChange.Cancel && actorRoles.Contains(Roles.Administrator, StringComparer.Ordinal))
        {
            return RunChangeDecision.AsAdministrator;
        }

        return RunChangeDecision.Refused(WhoMay(change));
    }

    /// <summary>The capability (authorization policy) a caller needs before ownership is even asked.</summary>
    public static string PolicyFor(RunChange change) => change == RunChange.Cancel ? Policies.CancelRuns : Policies.ManageExperiments;

    /// <summary>Who may make the change, in words for a refusal and for the documentation.</summary>
    public static string WhoMay(RunChange change) => change switch
    {
        RunChange.Cancel => "Only the run's submitter or an Administrator may cancel it.",
        RunChange.LogBatch => "Only the run's submitter may log to it.",
        RunChange.AttachModel => "Only the run's submitter may attach its model.",
        _ => "Only the run's submitter may end it.",
    };
}

/// <summary>The answer of <see cref="RunOwnership.Decide"/>: allowed (and in which capacity) or refused with who may.</summary>
public sealed record RunChangeDecision(bool Allowed, bool ByAdministrator, string? Refusal)
{
    public static readonly RunChangeDecision AsSubmitter = new(true, false, null);

    public static readonly RunChangeDecision AsAdministrator = new(true, true, null);

    public static RunChangeDecision Refused(string whoMay) => new(false, false, whoMay);
}
