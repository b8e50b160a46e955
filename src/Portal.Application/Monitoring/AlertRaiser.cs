using System.Globalization;
using Microsoft.Extensions.Logging;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Live;
using Portal.Data.Webhooks;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Webhooks;

namespace Portal.Application.Monitoring;

/// <summary>Whether a window shows a cause: yes, no, or it cannot tell (too few labels, no reference, no scored rows).</summary>
public enum CauseState
{
    Unknown,
    Absent,
    Present,
}

/// <summary>One cause judged on one window: the rule and feature it is about, what was seen and how bad it is.</summary>
public sealed record AlertFinding(AlertRule Rule, string Feature, CauseState State, AlertSeverity Severity, string Message);

/// <summary>What judging a window did to the model's alerts.</summary>
public sealed record AlertOutcome(IReadOnlyList<MonitoringAlert> Raised, IReadOnlyList<MonitoringAlert> Repeated, IReadOnlyList<MonitoringAlert> Cleared,
    int Suppressed)
{
    public static AlertOutcome None { get; } = new([], [], [], 0);
}

/// <summary>
/// Turns a monitoring window into alerts, on the window's own unit of work (its transaction). The rules: <b>AccuracyDrop</b>
/// (live accuracy below the version's validation accuracy minus the policy's drop, with at least the policy's labels; regression:
/// live MAE above the validation MAE × (1 + drop)), <b>Drift</b> (one per drifted feature), <b>DataQuality</b> (per feature: its
/// missing, out-of-range or unseen share over the policy's threshold; and, model-wide, a window whose drift could not be judged
/// — a reference that failed to load, rows that could not be read), <b>SchemaViolation</b> (the share of refused rows over the
/// threshold).
/// <para>
/// De-duplication: while an alert of the same model, rule and feature is open or acknowledged, the finding repeats it (its
/// occurrences count). Cool-down: within the policy's minutes after such an alert was resolved, the cause raises nothing. A cause
/// absent from <see cref="ClearAfterWindows"/> consecutive windows of a kind (the window judged and those before it, all after
/// the alert was last seen) clears the alert. Severity: Critical when the figure is at least twice as far past its threshold
/// (accuracy below validation − 2 × drop, MAE above validation × (1 + 2 × drop), PSI ≥ 2 × threshold, a quality or refused
/// share ≥ 2 × its threshold, a feature missing on every row), and for a window that could not be judged; Warning otherwise.
/// </para>
/// <para>
/// Raising and clearing record the audit entry (<c>alert.raised</c>, <c>alert.cleared</c>, actor: the worker as a service),
/// enqueue the webhooks (<c>alert.raised</c>, <c>alert.resolved</c>), publish <see cref="AlertChanged"/> on the alerts topic and
/// the model's monitoring topic, and log; a repeat is published on the model's topic only (the badge does not change).
/// </para>
/// </summary>
public sealed class AlertRaiser(AuditTrail audit, TimeProvider time, ILogger<AlertRaiser> logger)
{
    /// <summary>Consecutive windows without the cause that clear its alert.</summary>
    public const int ClearAfterWindows = 3;

    /// <summary>Who clears an alert whose cause went away.</summary>
    public const string ClearedBy = "monitoring";

    /// <summary>The model's alerts for one unit of work.</summary>
    public Task<AlertBook> OpenAsync(PortalDbContext db, RegisteredModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(model);
        return AlertBook.LoadAsync(db, model.Id, model.Name, model.MonitoringPolicy ?? MonitoringPolicy.Default, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Judges <paramref name="window"/> (added to <paramref name="db"/> or already stored) and raises, repeats or clears the model's
    /// alerts in <paramref name="book"/> on the same context; the caller saves. <paramref name="previous"/>: the windows of the
    /// same kind before it, oldest first (at least the last <see cref="ClearAfterWindows"/> − 1). <paramref name="labelsOnly"/>:
    /// late labels arrived for a stored window, so only the accuracy rule is judged again.
    /// </summary>
    public async Task<AlertOutcome> EvaluateAsync(PortalDbContext db, AlertBook book, MonitoringWindow window, MonitoredVersion version,
        IReadOnlyList<MonitoringWindow> previous, MonitoringPolicy policy, string workerId, CancellationToken cancellationToken, bool labelsOnly = false)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(previous);
        var now = time.GetUtcNow();
        var findings = Assess(window, version, policy).Where(f => !labelsOnly || f.Rule == AlertRule.AccuracyDrop).ToList();
        var raised = new List<MonitoringAlert>();
        var repeated = new List<MonitoringAlert>();
        var cleared = new List<MonitoringAlert>();
        var suppressed = 0;
        var actor = AuditActor.Service(workerId);
        foreach (var finding in findings.Where(f => f.State == CauseState.Present))
        {
            if (book.Find(finding.Rule, finding.Feature) is { } open)
            {
                open.Repeat(finding.Severity, finding.Message, window.Id, now);
                RegistryConcurrency.Touch(db, open);
                book.Seen(open, window.EndUtc);
                db.Publish(AlertNotices.Changed(LiveTopics.Monitoring(open.ModelId), open), now);
                repeated.Add(open);
                continue;
            }

            if (book.CoolingDown(finding.Rule, finding.Feature, policy, now))
            {
                suppressed++;
                continue;
            }

            var alert = MonitoringAlert.Raise(MonitoringAlertId.New(now), window.ModelId, window.ModelVersionId, window.VersionNumber, finding.Rule, finding.Feature,
                finding.Severity, finding.Message, window.Id, now);
            db.MonitoringAlerts.Add(alert);
            book.Raised(alert, window.EndUtc);
            audit.Record(db, actor, AuditActions.AlertRaised, AlertNotices.Subject(alert), AlertNotices.Details(alert, book.ModelName));
            await db.EnqueueWebhooksAsync(WebhookEventTypes.AlertRaised, AlertNotices.Payload(alert, book.ModelName), now, cancellationToken);
            AlertNotices.PublishEverywhere(db, alert, now);
            logger.LogWarning("Alert raised on model {Model} version {Version}: {Rule} {Feature} ({Severity}): {Message} [alert {AlertId}, window {WindowId}]",
                book.ModelName, alert.VersionNumber, alert.Rule, alert.Feature, alert.Severity, alert.Message, alert.Id, window.Id);
            raised.Add(alert);
        }

        foreach (var finding in findings.Where(f => f.State == CauseState.Absent))
        {
            if (book.Find(finding.Rule, finding.Feature) is not { } open || !AbsentLongEnough(open, finding, book, previous, version, policy))
            {
                continue;
            }

            var reason = $"Not seen in the last {ClearAfterWindows} windows (through the window ending {window.EndUtc:u}).";
            open.Clear(reason, now);
            RegistryConcurrency.Touch(db, open);
            book.Cleared(open, now);
            audit.Record(db, actor, AuditActions.AlertCleared, AlertNotices.Subject(open), new { details = AlertNotices.Details(open, book.ModelName), reason, windowId = window.Id.ToString() });
            await db.EnqueueWebhooksAsync(WebhookEventTypes.AlertResolved, AlertNotices.Payload(open, book.ModelName), now, cancellationToken);
            AlertNotices.PublishEverywhere(db, open, now);
            logger.LogInformation("Alert cleared on model {Model}: {Rule} {Feature} after {Occurrences} occurrences. {Reason} [alert {AlertId}]",
                book.ModelName, open.Rule, open.Feature, open.Occurrences, reason, open.Id);
            cleared.Add(open);
        }

        foreach (var alert in repeated)
        {
            logger.LogDebug("Alert repeated on model {Model}: {Rule} {Feature}, {Occurrences} occurrences [alert {AlertId}]",
                book.ModelName, alert.Rule, alert.Feature, alert.Occurrences, alert.Id);
        }

        return raised.Count + repeated.Count + cleared.Count + suppressed == 0 ? AlertOutcome.None : new AlertOutcome(raised, repeated, cleared, suppressed);
    }

    /// <summary>Every cause the rules judge on <paramref name="window"/>, present, absent or unknown.</summary>
    public static IReadOnlyList<AlertFinding> Assess(MonitoringWindow window, MonitoredVersion version, MonitoringPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(policy);
        var findings = new List<AlertFinding> { Accuracy(window, version, policy), Schema(window, policy), Judged(window, version) };
        var scored = window.Rows - window.Quality.SchemaViolations;
        foreach (var feature in window.Quality.Features)
        {
            findings.Add(Quality(feature, scored, policy));
        }

        var drifted = window.Drift.Features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var feature in version.Features)
        {
            findings.Add(drifted.TryGetValue(feature.Name, out var drift)
                ? Drift(drift, window.Drift.CurrentRows, policy)
                : new AlertFinding(AlertRule.Drift, feature.Name, CauseState.Unknown, AlertSeverity.Warning, ""));
        }

        return findings;
    }

    private static AlertFinding Accuracy(MonitoringWindow window, MonitoredVersion version, MonitoringPolicy policy)
    {
        var enough = window.LabeledRows >= policy.MinimumLabels;
        var labels = N(window.LabeledRows);
        if (version.IsRegression)
        {
            if (!enough || window.MeanAbsoluteError is not { } mae || version.ValidationMeanAbsoluteError is not { } bar)
            {
                return Unknown(AlertRule.AccuracyDrop, "");
            }

            var limit = bar * (1 + policy.AccuracyDrop);
            return new AlertFinding(AlertRule.AccuracyDrop, "", mae > limit ? CauseState.Present : CauseState.Absent,
                mae > bar * (1 + (2 * policy.AccuracyDrop)) ? AlertSeverity.Critical : AlertSeverity.Warning,
                $"Live mean absolute error {F(mae)} on {labels} labels is above {F(limit)} (validation {F(bar)} + {P(policy.AccuracyDrop)}).");
        }

        if (!enough || window.Accuracy is not { } accuracy || version.ValidationAccuracy is not { } validation)
        {
            return Unknown(AlertRule.AccuracyDrop, "");
        }

        var floor = validation - policy.AccuracyDrop;
        return new AlertFinding(AlertRule.AccuracyDrop, "", accuracy < floor ? CauseState.Present : CauseState.Absent,
            accuracy < validation - (2 * policy.AccuracyDrop) ? AlertSeverity.Critical : AlertSeverity.Warning,
            $"Live accuracy {F(accuracy)} on {labels} labels is below {F(floor)} (validation {F(validation)} − {F(policy.AccuracyDrop)}).");
    }

    private static AlertFinding Schema(MonitoringWindow window, MonitoringPolicy policy)
    {
        if (window.Rows == 0)
        {
            return Unknown(AlertRule.SchemaViolation, "");
        }

        var share = (double)window.Quality.SchemaViolations / window.Rows;
        return new AlertFinding(AlertRule.SchemaViolation, "", share > policy.SchemaViolationRateThreshold ? CauseState.Present : CauseState.Absent,
            share >= 2 * policy.SchemaViolationRateThreshold ? AlertSeverity.Critical : AlertSeverity.Warning,
            $"{N(window.Quality.SchemaViolations)} of {N(window.Rows)} rows ({P(share)}) were refused against the signature (threshold {P(policy.SchemaViolationRateThreshold)}).");
    }

    /// <summary>Model-wide data quality: a window with scored rows whose drift could not be judged (no reference, unreadable rows).</summary>
    private static AlertFinding Judged(MonitoringWindow window, MonitoredVersion version)
    {
        var scored = window.Rows - window.Quality.SchemaViolations;
        if (version.Features.Count == 0 || scored <= 0)
        {
            return Unknown(AlertRule.DataQuality, "");
        }

        return window.Drift.Features.Count > 0
            ? new AlertFinding(AlertRule.DataQuality, "", CauseState.Absent, AlertSeverity.Warning, "")
            : new AlertFinding(AlertRule.DataQuality, "", CauseState.Present, AlertSeverity.Critical,
                $"The window of {N(window.Rows)} rows could not be judged against the training data: {window.Summary}");
    }

    private static AlertFinding Quality(FeatureQuality feature, long scored, MonitoringPolicy policy)
    {
        if (scored <= 0)
        {
            return Unknown(AlertRule.DataQuality, feature.Name);
        }

        var present = Math.Max(1, scored - feature.Missing);
        var missing = (double)feature.Missing / scored;
        var outOfRange = (double)feature.OutOfRange / present;
        var unseen = (double)feature.Unseen / present;
        var problems = new List<string>();
        var critical = feature.Missing >= scored;
        void Check(double share, double threshold, string what)
        {
            if (share > threshold)
            {
                problems.Add($"{what} {P(share)} > {P(threshold)}");
                critical |= share >= 2 * threshold && threshold > 0;
            }
        }

        Check(missing, policy.MissingRateThreshold, "missing");
        Check(outOfRange, policy.OutOfRangeRateThreshold, "outside the training range");
        Check(unseen, policy.UnseenRateThreshold, "unseen in training");
        return problems.Count == 0
            ? new AlertFinding(AlertRule.DataQuality, feature.Name, CauseState.Absent, AlertSeverity.Warning, "")
            : new AlertFinding(AlertRule.DataQuality, feature.Name, CauseState.Present, critical ? AlertSeverity.Critical : AlertSeverity.Warning,
                $"{feature.Name}: {string.Join("; ", problems)} over {N(scored)} scored rows.");
    }

    private static AlertFinding Drift(FeatureDrift drift, long rows, MonitoringPolicy policy)
    {
        var byTest = rows <= policy.StatisticalTestMaxRows;
        var test = drift.Test == DriftTest.Ks ? "KS" : "chi-square";
        var message = byTest
            ? $"{drift.Name} drifted: {test} p-value {drift.PValue.ToString("G3", CultureInfo.InvariantCulture)} < {F(policy.PValueThreshold)} over {N(rows)} rows (PSI {F(drift.Psi)})."
            : $"{drift.Name} drifted: PSI {F(drift.Psi)} ≥ {F(policy.PsiThreshold)} over {N(rows)} rows ({test} p-value {drift.PValue.ToString("G3", CultureInfo.InvariantCulture)}).";
        return new AlertFinding(AlertRule.Drift, drift.Name, drift.Drifted ? CauseState.Present : CauseState.Absent,
            drift.Psi >= 2 * policy.PsiThreshold ? AlertSeverity.Critical : AlertSeverity.Warning, message);
    }

    /// <summary>The window judged and the <see cref="ClearAfterWindows"/> − 1 before it, all after the alert was last seen, lack the cause.</summary>
    private static bool AbsentLongEnough(MonitoringAlert alert, AlertFinding finding, AlertBook book, IReadOnlyList<MonitoringWindow> previous,
        MonitoredVersion version, MonitoringPolicy policy)
    {
        var needed = ClearAfterWindows - 1;
        if (previous.Count < needed)
        {
            return false;
        }

        var lastSeen = book.LastSeenWindowEnd(alert);
        for (var i = previous.Count - needed; i < previous.Count; i++)
        {
            var earlier = previous[i];
            if (earlier.EndUtc <= lastSeen || earlier.Id == alert.LastWindowId)
            {
                return false;
            }

            var state = Assess(earlier, version, policy).FirstOrDefault(f => f.Rule == finding.Rule && f.Feature == finding.Feature)?.State;
            if (state != CauseState.Absent)
            {
                return false;
            }
        }

        return true;
    }

    private static AlertFinding Unknown(AlertRule rule, string feature) => new(rule, feature, CauseState.Unknown, AlertSeverity.Warning, "");

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string P(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string N(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
