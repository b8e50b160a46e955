using System.Globalization;
using System.Text;
using Portal.Ml.DemoData;

namespace Portal.Ml.Tests.DemoData;

public sealed class LoanDefaultGeneratorTests
{
    [Fact]
    public void SameSeedWritesTheSameBytes() => Assert.Equal(Csv(5, 500), Csv(5, 500));

    [Fact]
    public void DifferentSeedsWriteDifferentData() => Assert.NotEqual(Csv(5, 500), Csv(6, 500));

    [Fact]
    public void CovariateDriftShiftsIncomeDownAndDebtRatioUp()
    {
        var baseline = Column(Csv(1, 4000), "annual_income").Average();
        var drifted = Column(Csv(1, 4000, covariateDrift: 1), "annual_income").Average();
        var baseDti = Column(Csv(1, 4000), "debt_to_income").Average();
        var driftDti = Column(Csv(1, 4000, covariateDrift: 1), "debt_to_income").Average();

        Assert.True(drifted < baseline * 0.85, $"income {baseline} -> {drifted}");
        Assert.True(driftDti > baseDti + 0.08, $"dti {baseDti} -> {driftDti}");
    }

    [Fact]
    public void ConceptDriftChangesDefaultRateWithoutMovingCreditScores()
    {
        var baseline = Csv(2, 6000);
        var drifted = Csv(2, 6000, conceptDrift: 1);

        Assert.Equal(Column(baseline, "credit_score").Average(), Column(drifted, "credit_score").Average(), 6);
        var highDti = (string csv) => Rows(csv).Where(r => Num(r, "debt_to_income") > 0.45).Average(r => Num(r, "defaulted"));
        Assert.True(highDti(drifted) > highDti(baseline) + 0.05, $"default rate at high debt {highDti(baseline)} -> {highDti(drifted)}");
    }

    [Fact]
    public void HeaderCarriesPersonalDataColumns()
    {
        var header = Csv(1, 1).Split('\n')[0];

        Assert.Equal(string.Join(",", LoanDefaultGenerator.Schema.Select(c => c.Name)), header);
        Assert.Contains("email", header);
        Assert.Contains("birth_date", header);
    }

    private static string Csv(int seed, int rows, double covariateDrift = 0, double conceptDrift = 0)
    {
        using var stream = new MemoryStream();
        new LoanDefaultGenerator(seed).Write(stream, rows, covariateDrift, conceptDrift);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static List<Dictionary<string, string>> Rows(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static double Num(Dictionary<string, string> row, string column) => double.Parse(row[column], CultureInfo.InvariantCulture);

    private static IEnumerable<double> Column(string csv, string column) => Rows(csv).Select(r => Num(r, column));
}
