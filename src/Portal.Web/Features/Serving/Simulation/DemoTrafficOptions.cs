using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Features.Serving.Simulation;

/// <summary>
/// The Development traffic simulator (section <c>Demo:Traffic</c>): generated loan applications sent to the real predict endpoint
/// of each demo model, and their true outcome posted as ground truth a little later. Honoured only with <c>Demo:Enabled</c> in
/// the Development environment.
/// </summary>
public sealed class DemoTrafficOptions : IValidatableObject
{
    public const string SectionName = "Demo:Traffic";

    public bool Enabled { get; set; }

    /// <summary>The demo models, which get traffic when <see cref="Models"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DemoModels = [Startup.DemoRegistrySeeder.ModelName, Startup.DemoRegistrySeeder.WorseModelName];

    /// <summary>The models to send traffic to, by name; empty means <see cref="DemoModels"/>. (A list in configuration replaces nothing here: binding appends.)</summary>
    public List<string> Models { get; set; } = [];

    public IReadOnlyList<string> ModelNames => Models.Count > 0 ? Models : DemoModels;

    /// <summary>The demo account whose personal API token (scope predict) the simulator creates at start; its secret is never stored.</summary>
    [Required, EmailAddress]
    public string Account { get; set; } = "scientist@portal.local";

    /// <summary>Predict requests per second to each model.</summary>
    [Range(0.1, 200)]
    public double RequestsPerSecond { get; set; } = 10;

    /// <summary>Rows in each request (1: single-row requests).</summary>
    [Range(1, 100)]
    public int RowsPerRequest { get; set; } = 1;

    /// <summary>Distinct customers whose ids are the routing keys (each customer sees one model during a rollout).</summary>
    [Range(1, 1_000_000)]
    public int Customers { get; set; } = 5000;

    /// <summary>Seconds until a prediction's true outcome is posted to /api/feedback.</summary>
    [Range(0, 3600)]
    public double FeedbackDelaySeconds { get; set; } = 15;

    /// <summary>The longest pause after failures (the endpoint missing, the app not ready): waits double from one second up to this.</summary>
    [Range(1, 600)]
    public double MaxBackoffSeconds { get; set; } = 30;

    /// <summary>Where to call the app; blank means the app's own first listening address.</summary>
    public string BaseAddress { get; set; } = "";

    /// <summary>Seed of the generated rows (the demo models were trained on seeds 2025 and 2026: these are new applicants).</summary>
    public int Seed { get; set; } = 2027;

    /// <summary>
    /// Seconds after the simulator starts sending before the drift model's applicants begin to change (incomes fall, debt ratios,
    /// amounts rise, credit scores fall) and the outcome comes to depend more on debt than on credit score; negative: never.
    /// </summary>
    [Range(-1, 86_400)]
    public double DriftAfterSeconds { get; set; } = 180;

    /// <summary>Seconds over which the drift grows from none to its full strength.</summary>
    [Range(0, 86_400)]
    public double DriftRampSeconds { get; set; } = 30;

    /// <summary>Strength of the shift of the inputs at full drift (0 none, 1 the generator's full covariate drift).</summary>
    [Range(0, 1)]
    public double CovariateDrift { get; set; } = 1;

    /// <summary>Strength of the change in how the outcome depends on the inputs at full drift (0 none, 1 full concept drift).</summary>
    [Range(0, 1)]
    public double ConceptDrift { get; set; } = 1;

    /// <summary>The model whose traffic drifts (blank: none).</summary>
    public string DriftModel { get; set; } = Startup.DemoRegistrySeeder.ModelName;

    /// <summary>The drift's strength (0 to 1) after <paramref name="sending"/> of traffic.</summary>
    public double DriftAt(TimeSpan sending) =>
        DriftAfterSeconds < 0 || sending.TotalSeconds < DriftAfterSeconds ? 0
        : DriftRampSeconds <= 0 ? 1
        : Math.Min(1, (sending.TotalSeconds - DriftAfterSeconds) / DriftRampSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Models.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Demo:Traffic:Models must not hold a blank name (leave the list empty for the demo models).", [nameof(Models)]);
        }

        if (BaseAddress.Length > 0 && !Uri.TryCreate(BaseAddress, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Demo:Traffic:BaseAddress must be blank or an absolute URL such as http://127.0.0.1:5080.", [nameof(BaseAddress)]);
        }
    }
}
