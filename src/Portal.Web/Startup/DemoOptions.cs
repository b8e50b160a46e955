using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Startup;

/// <summary>Demo data (section <c>Demo</c>). Honoured only in the Development environment: Production seeds no users.</summary>
public sealed class DemoOptions : IValidatableObject
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    /// <summary>With <see cref="Enabled"/>: on first start also seed a dataset (two versions), an experiment and a few runs that the worker trains.</summary>
    public bool SeedData { get; set; }

    /// <summary>Password of every demo account (appsettings.Development.json sets it; never a production secret).</summary>
    public string Password { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && Password.Length < 12)
        {
            yield return new ValidationResult("Demo:Password must have at least 12 characters when Demo:Enabled is true.", [nameof(Password)]);
        }
    }
}
