using System.Globalization;
using System.Text;

namespace Portal.EndToEnd.Tests.TestData;

/// <summary>
/// A table shaped like the Palmer penguins data outside testers uploaded (deterministic by seed, made up here because
/// no data set can be downloaded at test time): 344 birds of three <see cref="Species"/> on three islands, bill,
/// flipper and body-mass measurements in their real ranges (body mass 2,700–6,300 g, the numbers once shown as
/// <c>2.7E+03</c>), two birds with no measurements at all, a <c>sex</c> column with some values missing, and a
/// free-text <c>comments</c> column that is empty for most birds, as in the raw data. <c>sex</c> is the last column,
/// so the run form's first label suggestion is a two-valued (binary) column, not <see cref="Label"/>.
/// </summary>
public sealed class PenguinsCsvBuilder
{
    public const string Label = "species";
    public const string MostlyEmptyColumn = "comments";

    public static readonly IReadOnlyList<string> Species = ["Adelie", "Chinstrap", "Gentoo"];

    // Per species: birds, islands, and (mean, standard deviation) of bill length, bill depth, flipper length, body mass.
    private static readonly (int Count, string[] Islands, (double Mean, double Sd)[] Measures)[] Populations =
    [
        (152, ["Torgersen", "Biscoe", "Dream"], [(38.8, 2.7), (18.3, 1.2), (190, 6.5), (3700, 460)]),
        (68, ["Dream"], [(48.8, 3.3), (18.4, 1.1), (196, 7.1), (3733, 384)]),
        (124, ["Biscoe"], [(47.5, 3.1), (15.0, 1.0), (217, 6.5), (5076, 504)]),
    ];

    private static readonly string[] Comments = ["Nest never observed with full clutch.", "Not enough blood for isotopes.", "Sexing primers did not amplify."];

    private int seed = 1;

    public PenguinsCsvBuilder WithSeed(int value)
    {
        seed = value;
        return this;
    }

    /// <summary>Rows in the file: 344, as in the published data.</summary>
    public int Rows => Populations.Sum(p => p.Count);

    /// <summary>Columns in the file.</summary>
    public int Columns => 8;

    public byte[] Build()
    {
        var random = new Random(seed);
        var csv = new StringBuilder("species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,comments,sex\n");
        for (var s = 0; s < Populations.Length; s++)
        {
            var (count, islands, measures) = Populations[s];
            for (var i = 0; i < count; i++)
            {
                var male = random.NextDouble() < 0.5;
                // The first bird of the first two species was never measured (as two birds in the real data).
                var measured = i != 0 || s == 2;
                var values = measures.Select((m, k) => measured ? Measure(random, m.Mean, m.Sd, male, k) : "").ToArray();
                var sex = !measured || random.NextDouble() < 0.03 ? "" : male ? "male" : "female";
                var comment = random.NextDouble() < 0.08 ? Comments[random.Next(Comments.Length)] : "";
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Species[s]},{islands[random.Next(islands.Length)]},{string.Join(',', values)},{comment},{sex}\n");
            }
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    // Males are larger; lengths to a tenth of a millimetre, flippers to the millimetre, mass to 25 g, within real bounds.
    private static string Measure(Random random, double mean, double sd, bool male, int kind)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var value = mean + (sd * (normal * 0.8 + (male ? 0.6 : -0.6)));
        return kind switch
        {
            3 => (Math.Round(Math.Clamp(value, 2700, 6300) / 25) * 25).ToString("0", CultureInfo.InvariantCulture),
            2 => Math.Round(value).ToString("0", CultureInfo.InvariantCulture),
            _ => value.ToString("0.0", CultureInfo.InvariantCulture),
        };
    }
}
