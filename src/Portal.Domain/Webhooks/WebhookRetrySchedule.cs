namespace Portal.Domain.Webhooks;

/// <summary>
/// How long a failed delivery waits before its next attempt: 10 s, 1 min, 5 min, 30 min, 2 h after the first to the
/// fifth failure; the sixth failure gives up. A receiver that is down for a deploy gets the event within seconds of
/// coming back; one that is down for hours gets it within two hours; a dead one stops costing anything after ~2.6 h.
/// </summary>
public static class WebhookRetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromSeconds(10),
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
    ];

    /// <summary>Attempts in all before a delivery gives up: the first, then one after each delay.</summary>
    public static int MaxAttempts => Delays.Count + 1;

    /// <summary>
    /// The wait after failed attempt number <paramref name="failedAttempt"/> (1 = the first attempt), or null when
    /// that was the last one the schedule allows.
    /// </summary>
    public static TimeSpan? DelayAfter(int failedAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        return failedAttempt <= Delays.Count ? Delays[failedAttempt - 1] : null;
    }
}
