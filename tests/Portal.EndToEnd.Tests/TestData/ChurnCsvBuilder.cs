using System.Globalization;
using System.Text;

namespace Portal.EndToEnd.Tests.TestData;

/// <summary>
/// A telecom churn table made up by the test (deterministic by seed), so the journeys upload a CSV the product
/// never saw: a contact e-mail column (personal data), usage figures, a contract type and a noisy
/// <see cref="Label"/> that depends on tenure, support calls, charges and contract; optionally a leading
/// <see cref="CustomerIdColumn"/> keying each row to a customer (<see cref="CustomerId"/>), as a data subject's key.
/// </summary>
public sealed class ChurnCsvBuilder
{
    public const string Label = "churned";
    public const string PersonalDataColumn = "contact_email";
    public const string CustomerIdColumn = "customer_id";

    private static readonly string[] Contracts = ["monthly", "one_year", "two_year"];

    private int rows = 2000;
    private int seed = 1;
    private bool customerIds;

    /// <summary>The customer id of row <paramref name="row"/> (from 0) when built <see cref="WithCustomerIds"/>.</summary>
    public static string CustomerId(int row) => string.Create(CultureInfo.InvariantCulture, $"CUST-{row + 100_000}");

    public ChurnCsvBuilder WithRows(int value)
    {
        rows = value;
        return this;
    }

    public ChurnCsvBuilder WithSeed(int value)
    {
        seed = value;
        return this;
    }

    /// <summary>Starts every row with its <see cref="CustomerIdColumn"/>.</summary>
    public ChurnCsvBuilder WithCustomerIds()
    {
        customerIds = true;
        return this;
    }

    public int Rows => rows;

    public byte[] Build()
    {
        var random = new Random(seed);
        var csv = new StringBuilder(customerIds ? $"{CustomerIdColumn}," : "");
        csv.Append("contact_email,tenure_months,monthly_charges,support_calls,contract,paperless_billing,churned\n");
        for (var i = 0; i < rows; i++)
        {
            var tenure = random.Next(1, 73);
            var charges = Math.Round(20 + (random.NextDouble() * 100), 2);
            var calls = random.Next(0, 8);
            var contract = random.Next(Contracts.Length);
            var paperless = random.NextDouble() < 0.6;
            var score = -0.5 - (0.04 * tenure) + (0.02 * (charges - 60)) + (0.45 * calls) - (1.2 * contract) + (paperless ? 0.3 : 0);
            var churned = random.NextDouble() < 1 / (1 + Math.Exp(-score));
            if (customerIds)
            {
                csv.Append(CustomerId(i)).Append(',');
            }

            csv.Append(CultureInfo.InvariantCulture,
                $"customer{i}@example.org,{tenure},{charges:0.00},{calls},{Contracts[contract]},{(paperless ? "true" : "false")},{(churned ? "true" : "false")}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
