namespace Portal.Domain.Runs;

/// <summary>A run parameter (hyperparameter or other input), or with <see cref="IsTag"/> a free tag.</summary>
public sealed class RunParam
{
    public const int MaxKeyLength = 250;
    public const int MaxValueLength = 6000;

    public RunId RunId { get; set; }

    public bool IsTag { get; set; }

    public string Key { get; set; } = "";

    public string Value { get; set; } = "";
}
