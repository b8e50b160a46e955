using Portal.Domain.Monitoring;

namespace Portal.Web.Features.Monitoring;

/// <summary>
/// The monitoring and retraining policies as a person edits them: shares in percent, the schedule as an optional number of hours,
/// retraining as a switch. Hands typed policies to the use case; what is wrong is the domain's own words (<c>Problem()</c>).
/// </summary>
public sealed class MonitoringPolicyForm
{
    public int WindowMinutes { get; set; }

    public int WindowRows { get; set; }

    public double AccuracyDropPoints { get; set; }

    public int MinimumLabels { get; set; }

    public double PsiThreshold { get; set; }

    public double PValueThreshold { get; set; }

    public int StatisticalTestMaxRows { get; set; }

    public double MissingRatePercent { get; set; }

    public double OutOfRangeRatePercent { get; set; }

    public double UnseenRatePercent { get; set; }

    public double SchemaViolationRatePercent { get; set; }

    public int CooldownMinutes { get; set; }

    /// <summary>Whether the worker retrains the model by itself at all (off: the retraining policy is removed).</summary>
    public bool Retrain { get; set; }

    public bool OnDrift { get; set; }

    public bool OnAccuracyDrop { get; set; }

    public int? ScheduleHours { get; set; }

    public int MinimumRows { get; set; }

    public double MinimumHoursBetween { get; set; }

    public static MonitoringPolicyForm From(MonitoringPolicy? monitoring, RetrainingPolicy? retraining)
    {
        var m = monitoring ?? MonitoringPolicy.Default;
        var r = retraining ?? RetrainingPolicy.Default;
        return new()
        {
            WindowMinutes = m.WindowMinutes,
            WindowRows = m.WindowRows,
            AccuracyDropPoints = m.AccuracyDrop * 100,
            MinimumLabels = m.MinimumLabels,
            PsiThreshold = m.PsiThreshold,
            PValueThreshold = m.PValueThreshold,
            StatisticalTestMaxRows = m.StatisticalTestMaxRows,
            MissingRatePercent = m.MissingRateThreshold * 100,
            OutOfRangeRatePercent = m.OutOfRangeRateThreshold * 100,
            UnseenRatePercent = m.UnseenRateThreshold * 100,
            SchemaViolationRatePercent = m.SchemaViolationRateThreshold * 100,
            CooldownMinutes = m.CooldownMinutes,
            Retrain = retraining is not null,
            OnDrift = r.OnDrift,
            OnAccuracyDrop = r.OnAccuracyDrop,
            ScheduleHours = r.ScheduleHours,
            MinimumRows = r.MinimumRows,
            MinimumHoursBetween = r.MinimumHoursBetween,
        };
    }

    public MonitoringPolicy ToMonitoringPolicy() => new(WindowMinutes, WindowRows, AccuracyDropPoints / 100, MinimumLabels, PsiThreshold, PValueThreshold,
        StatisticalTestMaxRows, MissingRatePercent / 100, OutOfRangeRatePercent / 100, UnseenRatePercent / 100, SchemaViolationRatePercent / 100, CooldownMinutes);

    /// <summary>The retraining policy, or null when retraining is switched off.</summary>
    public RetrainingPolicy? ToRetrainingPolicy() => Retrain ? new(OnDrift, OnAccuracyDrop, ScheduleHours, MinimumRows, MinimumHoursBetween) : null;

    /// <summary>What is wrong, in the domain's words; empty when both policies are valid.</summary>
    public IReadOnlyList<string> Problems() =>
        new[] { ToMonitoringPolicy().Problem(), ToRetrainingPolicy()?.Problem() }.OfType<string>().ToList();
}
