namespace Portal.Domain.Runs;

/// <summary>How a metric's value reads best for people.</summary>
public enum MetricFormat
{
    /// <summary>Any number (an error in the label's units, a loss): shown with four significant digits, never in E-notation.</summary>
    Number = 0,

    /// <summary>A score on the 0–1 scale (accuracy, AUC, precision): shown with four decimals.</summary>
    Score = 1,
}
