using Portal.Domain.Datasets;

namespace Portal.Domain.Tests.Datasets;

public sealed class PersonalDataDetectorTests
{
    private static readonly string[] NoValues = [];

    private readonly PersonalDataDetector _detector = new(new FixedTimeProvider(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("email", PersonalDataKind.Email)]
    [InlineData("E-Mail", PersonalDataKind.Email)]
    [InlineData("customerEmail", PersonalDataKind.Email)]
    [InlineData("phone_number", PersonalDataKind.Phone)]
    [InlineData("Mobile", PersonalDataKind.Phone)]
    [InlineData("first_name", PersonalDataKind.PersonName)]
    [InlineData("LastName", PersonalDataKind.PersonName)]
    [InlineData("surname", PersonalDataKind.PersonName)]
    [InlineData("name", PersonalDataKind.PersonName)]
    [InlineData("customer_name", PersonalDataKind.PersonName)]
    [InlineData("street_address", PersonalDataKind.Address)]
    [InlineData("City", PersonalDataKind.Address)]
    [InlineData("zip", PersonalDataKind.Postcode)]
    [InlineData("postal-code", PersonalDataKind.Postcode)]
    [InlineData("date_of_birth", PersonalDataKind.BirthDate)]
    [InlineData("DOB", PersonalDataKind.BirthDate)]
    [InlineData("ssn", PersonalDataKind.NationalId)]
    [InlineData("national_id", PersonalDataKind.NationalId)]
    [InlineData("passport_no", PersonalDataKind.NationalId)]
    [InlineData("IBAN", PersonalDataKind.BankAccount)]
    [InlineData("account_number", PersonalDataKind.BankAccount)]
    [InlineData("age", PersonalDataKind.Age)]
    public void ColumnNameSuggestingPersonalDataIsFlagged(string columnName, PersonalDataKind kind)
    {
        var suspicion = _detector.Inspect(columnName, NoValues);

        Assert.NotNull(suspicion);
        Assert.Contains(kind, suspicion.Kinds);
        Assert.Contains(suspicion.Evidence, e => e.Kind == kind && e.Reason.StartsWith("name matches '", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("product_name")]
    [InlineData("file name")]
    [InlineData("price")]
    [InlineData("usage")]
    [InlineData("page")]
    [InlineData("message")]
    [InlineData("feature_1")]
    [InlineData("target")]
    public void OrdinaryColumnNameIsNotFlagged(string columnName)
    {
        Assert.Null(_detector.Inspect(columnName, NoValues));
    }

    [Fact]
    public void EmailValuesAreFlaggedWithTheShareInTheEvidence()
    {
        var values = Enumerable.Range(0, 47).Select(i => $"user{i}@example.com").Concat(["n/a?", "unknown", "-"]).ToArray();

        var suspicion = _detector.Inspect("contact", values);

        var evidence = Assert.Single(suspicion!.Evidence);
        Assert.Equal(PersonalDataKind.Email, evidence.Kind);
        Assert.Equal("94% of 50 sampled values are e-mail addresses", evidence.Reason);
    }

    [Fact]
    public void NameAndValueEvidenceAreBothReported()
    {
        var suspicion = _detector.Inspect("email", ["a@b.org", "c@d.net", "e@f.com"]);

        Assert.Equal([PersonalDataKind.Email], suspicion!.Kinds);
        Assert.Equal(2, suspicion.Evidence.Count);
    }

    [Theory]
    [InlineData("GB82 WEST 1234 5698 7654 32")]
    [InlineData("DE89370400440532013000")]
    [InlineData("fr14 2004 1010 0505 0001 3m02 606")]
    public void IbanWithCorrectCheckDigitsIsValid(string iban)
    {
        Assert.True(PersonalDataDetector.IsValidIban(iban));
    }

    [Theory]
    [InlineData("GB82 WEST 1234 5698 7654 33")]
    [InlineData("DE88370400440532013000")]
    [InlineData("GB82")]
    [InlineData("1234567890123456")]
    public void IbanWithWrongCheckDigitsOrShapeIsInvalid(string iban)
    {
        Assert.False(PersonalDataDetector.IsValidIban(iban));
    }

    [Fact]
    public void ColumnOfValidIbansIsFlaggedAsBankAccount()
    {
        var suspicion = _detector.Inspect("payee", ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "NL91ABNA0417164300"]);

        Assert.Equal([PersonalDataKind.BankAccount], suspicion!.Kinds);
        Assert.Contains("IBAN", suspicion.Evidence[0].Reason);
    }

    [Fact]
    public void ColumnOfIbanShapedStringsFailingTheCheckIsNotFlagged()
    {
        var suspicion = _detector.Inspect("ref", ["GB82WEST12345698765433", "DE88370400440532013000", "NL92ABNA0417164300"]);

        Assert.Null(suspicion);
    }

    [Theory]
    [InlineData(PersonalDataKind.Phone, "+44 20 7946 0958", "(555) 123-4567", "030 1234567", "+1-202-555-0173")]
    [InlineData(PersonalDataKind.NationalId, "123-45-6789", "234-56-7890", "AB123456C", "JG 10 37 21 D")]
    [InlineData(PersonalDataKind.Postcode, "SW1A 1AA", "EC1A 1BB", "12345-6789", "1012 AB")]
    [InlineData(PersonalDataKind.PersonName, "Alice Smith", "John Doe", "Maria Garcia", "Keller, Anna")]
    [InlineData(PersonalDataKind.Address, "221B Baker Street", "10 Downing St", "Hauptstraße 5", "1600 Pennsylvania Avenue")]
    public void ValuesMatchingAPersonalDataPatternAreFlagged(PersonalDataKind kind, params string[] values)
    {
        var suspicion = _detector.Inspect("col", values);

        Assert.NotNull(suspicion);
        Assert.Contains(kind, suspicion.Kinds);
    }

    [Theory]
    [InlineData("1234567.89", "2345678.5", "99.5", "1000000")]
    [InlineData("1234567", "2345678", "3456789", "4567890")]
    [InlineData("2024-01-15", "2024-02-15", "2024-03-15", "2024-04-15")]
    [InlineData("000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567")]
    [InlineData("QQ123456C", "GB123456A", "AB12345C", "AB123456E")]
    [InlineData("red", "green", "blue", "red")]
    [InlineData("London", "Paris", "Berlin", "Madrid")]
    public void OrdinaryValuesAreNotFlagged(params string[] values)
    {
        Assert.Null(_detector.Inspect("col", values));
    }

    [Fact]
    public void SurnameFirstNamesAreRecognisedByTheFirstName()
    {
        var suspicion = _detector.Inspect("col", ["Keller, Anna", "Smith, John", "Rossi, Marco"]);

        Assert.Equal([PersonalDataKind.PersonName], suspicion!.Kinds);
        Assert.StartsWith("100% of 3", suspicion.Evidence[0].Reason);
    }

    [Fact]
    public void DatesSpreadOverDecadesInThePastAreFlaggedAsBirthDates()
    {
        var values = Enumerable.Range(0, 60).Select(i => $"{1950 + i}-{1 + (i % 12):00}-{1 + (i % 28):00}").ToArray();

        var suspicion = _detector.Inspect("d", values);

        var evidence = Assert.Single(suspicion!.Evidence);
        Assert.Equal(PersonalDataKind.BirthDate, evidence.Kind);
        Assert.Contains("ages 0–120", evidence.Reason);
    }

    [Fact]
    public void TransactionDatesWithinAYearAreNotBirthDates()
    {
        var values = Enumerable.Range(0, 60).Select(i => new DateTime(2025, 1, 1).AddDays(i * 5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        Assert.Null(_detector.Inspect("d", values));
    }

    [Fact]
    public void DatesMoreThan120YearsAgoOrInTheFutureAreNotBirthDates()
    {
        var values = Enumerable.Range(0, 40).Select(i => $"{1800 + (i * 10)}-06-01").ToArray();

        Assert.Null(_detector.Inspect("d", values));
    }

    [Fact]
    public void SmallNumbersAreOnlyAgeWhenTheColumnIsCalledAge()
    {
        string[] values = ["23", "45", "67", "31"];

        var age = _detector.Inspect("age", values);
        var amount = _detector.Inspect("amount", values);

        Assert.Equal([PersonalDataKind.Age], age!.Kinds);
        Assert.Null(amount);
    }

    [Fact]
    public void TooFewValuesAreNotJudgedByValue()
    {
        Assert.Null(_detector.Inspect("col", ["a@b.org", "c@d.org"]));
    }

    [Fact]
    public void AnalyzerAttachesSuspicionToPersonalColumnsOnly()
    {
        var csv = new CsvBuilder()
            .Column("contact", "ann@example.com", "bob@example.org", "cy@example.net", "")
            .Column("price", "1.5", "2.5", "3.5", "4.5");

        var analysis = new DatasetAnalyzer(detector: _detector).Analyze(csv.BuildStream());

        Assert.Equal([PersonalDataKind.Email], analysis.Columns[0].Suspicion!.Kinds);
        Assert.Null(analysis.Columns[1].Suspicion);
    }
}
