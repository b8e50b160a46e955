using System.Globalization;
using System.Text;
using Portal.Domain.Datasets;

namespace Portal.Ml.DemoData;

/// <summary>
/// Generates a synthetic loan-default dataset (deterministic by seed) with personal-data columns (first name,
/// email, birth date, age, postcode) and a binary <c>defaulted</c> label. Later periods can carry covariate
/// drift (incomes fall, debt ratios and requested amounts rise) and concept drift (the label depends more on
/// debt and less on credit score), each scaled by a factor between 0 and 1.
/// </summary>
public sealed class LoanDefaultGenerator(int seed)
{
    private static readonly string[] FirstNames = ["Anna", "Ben", "Chloé", "David", "Emma", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Karin", "Luca", "Mia", "Noah", "Olga", "Paul"];
    private static readonly string[] Purposes = ["car", "home", "education", "business", "debt_consolidation", "holiday"];
    private static readonly string[] Employment = ["employed", "self_employed", "unemployed", "retired", "student"];

    /// <summary>The columns, in file order.</summary>
    public static IReadOnlyList<ColumnSchema> Schema { get; } =
    [
        new(0, "first_name", ColumnType.Categorical),
        new(1, "email", ColumnType.Text),
        new(2, "birth_date", ColumnType.Date),
        new(3, "age", ColumnType.Numeric),
        new(4, "postcode", ColumnType.Categorical),
        new(5, "annual_income", ColumnType.Numeric),
        new(6, "loan_amount", ColumnType.Numeric),
        new(7, "term_months", ColumnType.Numeric),
        new(8, "credit_score", ColumnType.Numeric),
        new(9, "debt_to_income", ColumnType.Numeric),
        new(10, "employment", ColumnType.Categorical),
        new(11, "purpose", ColumnType.Categorical),
        new(12, "previous_defaults", ColumnType.Numeric),
        new(13, "has_guarantor", ColumnType.Boolean),
        new(14, "defaulted", ColumnType.Boolean),
    ];

    public const string Label = "defaulted";

    /// <summary>Writes <paramref name="rows"/> rows as CSV (header, comma, invariant culture) to the stream, which stays open.</summary>
    public void Write(Stream output, int rows, double covariateDrift = 0, double conceptDrift = 0)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(string.Join(",", Schema.Select(c => c.Name)));
        var reference = new DateTime(2026, 1, 1);
        for (var i = 0; i < rows; i++)
        {
            var age = Math.Clamp((int)Math.Round(Normal(random, 42, 12)), 18, 85);
            var birth = reference.AddYears(-age).AddDays(-random.Next(0, 365));
            var name = FirstNames[random.Next(FirstNames.Length)];
            var postcode = (10000 + (random.Next(0, 90) * 1000)).ToString(CultureInfo.InvariantCulture);
            var income = Math.Max(8000, Math.Exp(Normal(random, Math.Log(48000 * (1 - (0.25 * covariateDrift))), 0.45)));
            var amount = Math.Round(Math.Max(1000, Normal(random, 15000 * (1 + (0.5 * covariateDrift)), 7000)) / 100) * 100;
            var term = new[] { 12, 24, 36, 48, 60 }[random.Next(5)];
            var credit = Math.Clamp(Normal(random, 680 - (40 * covariateDrift), 60), 300, 850);
            var dti = Math.Clamp(Normal(random, 0.3 + (0.12 * covariateDrift), 0.12), 0, 1.5);
            var employment = Employment[Weighted(random, [0.65, 0.15, 0.07, 0.08, 0.05])];
            var purpose = Purposes[random.Next(Purposes.Length)];
            var previous = random.NextDouble() < 0.12 ? random.Next(1, 4) : 0;
            var guarantor = random.NextDouble() < 0.2;

            var creditWeight = 1 - (0.8 * conceptDrift);
            var dtiWeight = 1 + (1.5 * conceptDrift);
            var z = -1.6
                - (creditWeight * 0.022 * (credit - 680))
                + (dtiWeight * 4.0 * (dti - 0.3))
                + (0.9 * previous)
                + (0.6 * (amount / income * 4 - 1.2))
                + (employment == "unemployed" ? 1.0 : employment == "student" ? 0.4 : 0)
                - (guarantor ? 0.6 : 0)
                - (0.01 * (age - 42))
                + (conceptDrift * (purpose == "holiday" ? 1.2 : 0));
            var defaulted = random.NextDouble() < 1 / (1 + Math.Exp(-z));

            var email = $"{name.ToLowerInvariant()}.{i}@example.org";
            writer.Write($"{name},{email},{birth:yyyy-MM-dd},{age},{postcode},");
            writer.Write(FormattableString.Invariant($"{income:F0},{amount:F0},{term},{credit:F0},{dti:F3},{employment},{purpose},{previous},{(guarantor ? "yes" : "no")},{(defaulted ? 1 : 0)}"));
            writer.WriteLine();
        }
    }

    /// <summary>Writes the CSV to a file.</summary>
    public void WriteFile(string path, int rows, double covariateDrift = 0, double conceptDrift = 0)
    {
        using var file = File.Create(path);
        Write(file, rows, covariateDrift, conceptDrift);
    }

    private static double Normal(Random random, double mean, double sd)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static int Weighted(Random random, double[] weights)
    {
        var r = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r <= 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
