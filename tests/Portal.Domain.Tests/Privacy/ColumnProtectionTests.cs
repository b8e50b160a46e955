using Portal.Domain.Datasets;
using Portal.Domain.Privacy;
using Portal.Domain.Security;

namespace Portal.Domain.Tests.Privacy;

/// <summary>
/// The DPO's purpose, legal basis and retention of a column: Art. 9 conditions only for (and required by) special categories,
/// Art. 6 grounds for other personal data, none for data that is not personal; bounded retention and purpose; DPO only.
/// </summary>
public sealed class ColumnProtectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 10, 30, 0, TimeSpan.Zero);
    private static readonly string[] Dpo = [Roles.DataProtectionOfficer];

    [Fact]
    public void TheDpoRecordsPurposeLegalBasisAndRetentionOfAPersonalColumn()
    {
        var version = Version(1);

        var result = version.Decide("email", DataClassification.Personal, false, new ColumnProtection("  to bill the customer ", LegalBasis.Contract, 365),
            "dpo-id", "dpo@portal.local", Dpo, Now);

        var email = version.FindColumn("email")!;
        Assert.True(result.Succeeded);
        Assert.NotNull(result.Classification);
        Assert.Equal(new ColumnProtection("to bill the customer", LegalBasis.Contract, 365), result.Protection!.After);
        Assert.Equal(ColumnProtection.None, result.Protection.Before);
        Assert.Equal(("to bill the customer", LegalBasis.Contract, (int?)365), (email.Purpose, email.LegalBasis, email.RetentionDays));
        Assert.Equal("dpo@portal.local", email.ClassifiedByName);
    }

    [Theory]
    [InlineData(LegalBasis.None)]
    [InlineData(LegalBasis.Consent)]
    [InlineData(LegalBasis.LegitimateInterests)]
    public void ASpecialCategoryColumnIsRefusedWithoutAnArticle9Condition(LegalBasis basis)
    {
        var version = Version(1);

        var result = version.Decide("health", DataClassification.SpecialCategory, false, new ColumnProtection("care", basis, null), "dpo-id", "dpo", Dpo, Now);

        Assert.Equal(ClassificationRefusalReason.InvalidInput, result.Refusal);
        Assert.Contains("Art. 9(2) condition", result.Message);
        Assert.Contains(nameof(LegalBasis.ExplicitConsent), result.Message);
        Assert.Equal(DataClassification.Unclassified, version.FindColumn("health")!.Classification);
    }

    [Fact]
    public void ASpecialCategoryColumnTakesAnArticle9ConditionAndIsSensitive()
    {
        var version = Version(1);

        var result = version.Decide("health", DataClassification.SpecialCategory, false, new ColumnProtection("care", LegalBasis.HealthOrSocialCare, 30),
            "dpo-id", "dpo", Dpo, Now);

        Assert.True(result.Succeeded);
        Assert.Equal(LegalBasis.HealthOrSocialCare, version.FindColumn("health")!.LegalBasis);
        Assert.True(version.FindColumn("health")!.Sensitive);
    }

    [Theory]
    [InlineData(DataClassification.Personal, LegalBasis.ExplicitConsent, "only for special-category columns")]
    [InlineData(DataClassification.NotPersonal, LegalBasis.Consent, "needs no legal basis")]
    public void ALegalBasisThatDoesNotFitTheCategoryIsRefused(DataClassification classification, LegalBasis basis, string message)
    {
        var version = Version(1);

        var result = version.Decide("plan", classification, false, new ColumnProtection(null, basis, null), "dpo-id", "dpo", Dpo, Now);

        Assert.Equal(ClassificationRefusalReason.InvalidInput, result.Refusal);
        Assert.Contains(message, result.Message);
        Assert.Equal(LegalBasis.None, version.FindColumn("plan")!.LegalBasis);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(36500, true)]
    [InlineData(36501, false)]
    [InlineData(-5, false)]
    public void RetentionIsOneDayToAHundredYears(int days, bool accepted)
    {
        var version = Version(1);

        var result = version.Decide("email", DataClassification.Personal, false, new ColumnProtection(null, LegalBasis.Consent, days), "dpo-id", "dpo", Dpo, Now);

        Assert.Equal(accepted, result.Succeeded);
        Assert.Equal(accepted ? days : null, version.FindColumn("email")!.RetentionDays);
        if (!accepted)
        {
            Assert.Contains("retentionDays must be 1 to 36500", result.Message);
        }
    }

    [Fact]
    public void APurposeLongerThan1000CharactersOrWithControlCharactersIsRefused()
    {
        var version = Version(1);

        var tooLong = version.Decide("email", DataClassification.Personal, false, new ColumnProtection(new string('p', 1001), LegalBasis.Consent, null), "d", "d", Dpo, Now);
        var escape = version.Decide("email", DataClassification.Personal, false, new ColumnProtection("bill\u001b[31m", LegalBasis.Consent, null), "d", "d", Dpo, Now);

        Assert.Contains("purpose is at most 1000", tooLong.Message);
        Assert.Equal(ClassificationRefusalReason.InvalidInput, escape.Refusal);
        Assert.Null(version.FindColumn("email")!.Purpose);
    }

    [Theory]
    [InlineData(Roles.DataScientist)]
    [InlineData(Roles.BusinessManager)]
    [InlineData(Roles.Administrator)]
    public void NobodyButTheDpoRecordsALegalBasis(string role)
    {
        var version = Version(1);

        var result = version.Decide("email", DataClassification.Personal, false, new ColumnProtection("x", LegalBasis.Consent, 10), "u", "u", [role], Now);

        Assert.Equal(ClassificationRefusalReason.RoleRequired, result.Refusal);
        Assert.Equal(LegalBasis.None, version.FindColumn("email")!.LegalBasis);
    }

    [Fact]
    public void WithoutProtectionTheRecordedLegalBasisStaysAndMustFitTheNewCategory()
    {
        var version = Version(1);
        version.Decide("email", DataClassification.Personal, false, new ColumnProtection("billing", LegalBasis.Contract, 90), "d", "d", Dpo, Now);

        var sensitiveOnly = version.Decide("email", DataClassification.Personal, true, null, "d", "d", Dpo, Now);
        var special = version.Decide("email", DataClassification.SpecialCategory, false, null, "d", "d", Dpo, Now);

        Assert.True(sensitiveOnly.Succeeded);
        Assert.Null(sensitiveOnly.Protection);
        Assert.Equal(LegalBasis.Contract, version.FindColumn("email")!.LegalBasis);
        Assert.Equal(ClassificationRefusalReason.InvalidInput, special.Refusal);
        Assert.Equal(DataClassification.Personal, version.FindColumn("email")!.Classification);
    }

    [Fact]
    public void ASameNamedColumnOfTheSameTypeCarriesEverythingTheDpoDecided()
    {
        var previous = Version(1);
        previous.Decide("email", DataClassification.Personal, true, new ColumnProtection("billing", LegalBasis.Contract, 90), "dpo-id", "dpo", Dpo, Now);
        previous.Decide("plan", DataClassification.NotPersonal, false, null, "dpo-id", "dpo", Dpo, Now);
        var next = Version(2, previous.DatasetId, ("EMAIL", ColumnType.Text), ("plan", ColumnType.Categorical), ("age", ColumnType.Numeric), ("health", ColumnType.Categorical));

        var carried = next.CarryClassificationFrom(previous);

        var email = next.FindColumn("email")!;
        Assert.Equal(["EMAIL", "plan"], carried.Carried);
        Assert.Equal((DataClassification.Personal, true, "billing", LegalBasis.Contract, (int?)90, (int?)1),
            (email.Classification, email.Sensitive, email.Purpose, email.LegalBasis, email.RetentionDays, email.CarriedFromVersion));
        Assert.Equal(ColumnChangeSincePrevious.None, email.ChangeSincePrevious);
        Assert.Equal(DataClassification.NotPersonal, next.FindColumn("plan")!.Classification);
        // Same name and type but never classified: nothing to carry, still the DPO's to do.
        Assert.Null(next.FindColumn("age")!.CarriedFromVersion);
        Assert.Equal(DataClassification.Unclassified, next.FindColumn("age")!.Classification);
    }

    [Fact]
    public void ARetypedColumnIsNotCarriedAndANewOneIsFlaggedAdded()
    {
        var previous = Version(1);
        previous.Decide("age", DataClassification.Personal, true, new ColumnProtection(null, LegalBasis.Consent, null), "dpo-id", "dpo", Dpo, Now);
        var next = Version(2, previous.DatasetId, ("age", ColumnType.Text), ("postcode", ColumnType.Text));

        var carried = next.CarryClassificationFrom(previous);

        Assert.Empty(carried.Carried);
        Assert.Equal(["age"], carried.Retyped);
        Assert.Equal(["postcode"], carried.Added);
        Assert.Equal((DataClassification.Unclassified, ColumnChangeSincePrevious.Retyped, LegalBasis.None, (int?)null),
            (next.FindColumn("age")!.Classification, next.FindColumn("age")!.ChangeSincePrevious, next.FindColumn("age")!.LegalBasis, next.FindColumn("age")!.CarriedFromVersion));
        Assert.Equal((DataClassification.Unclassified, ColumnChangeSincePrevious.Added),
            (next.FindColumn("postcode")!.Classification, next.FindColumn("postcode")!.ChangeSincePrevious));
    }

    [Fact]
    public void ADecisionOnACarriedColumnMakesItThisVersionsOwn()
    {
        var previous = Version(1);
        previous.Decide("email", DataClassification.Personal, false, null, "dpo-id", "dpo", Dpo, Now);
        var next = Version(2, previous.DatasetId, ("email", ColumnType.Text));
        next.CarryClassificationFrom(previous);

        next.Decide("email", DataClassification.Personal, false, new ColumnProtection("support", LegalBasis.LegitimateInterests, 30), "dpo-id", "dpo", Dpo, Now);

        Assert.Null(next.FindColumn("email")!.CarriedFromVersion);
    }

    private static DatasetVersion Version(int number, DatasetId? datasetId = null, params (string Name, ColumnType Type)[] columns)
    {
        (string, ColumnType)[] defaults = [("email", ColumnType.Text), ("age", ColumnType.Numeric), ("health", ColumnType.Categorical), ("plan", ColumnType.Categorical)];
        var chosen = columns.Length == 0 ? defaults : columns;
        return DatasetVersion.Create(datasetId ?? DatasetId.New(Now), number, new string('a', 64), 100, 10, "people.csv", "[]",
            chosen.Select((c, i) => DatasetColumn.Create(i, c.Item1, c.Item2, c.Item1 == "email", null)), "scientist-id", Now);
    }
}
