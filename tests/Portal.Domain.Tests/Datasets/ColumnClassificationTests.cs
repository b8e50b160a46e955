using Portal.Domain.Datasets;
using Portal.Domain.Security;

namespace Portal.Domain.Tests.Datasets;

/// <summary>The DPO's classification of dataset columns: only the DPO, only real classifications, who and when, and confirming suggestions.</summary>
public sealed class ColumnClassificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 10, 30, 0, TimeSpan.Zero);
    private static readonly string[] Dpo = [Roles.DataProtectionOfficer];

    [Theory]
    [InlineData(Roles.DataScientist)]
    [InlineData(Roles.BusinessManager)]
    [InlineData(Roles.Administrator)]
    public void NobodyButTheDpoMayClassifyAColumnAndNothingChanges(string role)
    {
        var version = Version();

        var result = version.Classify("email", DataClassification.Personal, sensitive: true, "u1", "someone@portal.local", [role], Now);
        var confirmed = version.ConfirmSuggestions("u1", "someone@portal.local", [role], Now);

        Assert.Equal(ClassificationRefusalReason.RoleRequired, result.Refusal);
        Assert.Equal(ClassificationRefusalReason.RoleRequired, confirmed.Refusal);
        Assert.Contains("data protection officer", result.Message);
        Assert.All(version.Columns, c => Assert.Equal(DataClassification.Unclassified, c.Classification));
        Assert.All(version.Columns, c => Assert.Null(c.ClassifiedBy));
    }

    [Fact]
    public void TheDpoClassifiesAColumnAndItRecordsWhoAndWhen()
    {
        var version = Version();

        var result = version.Classify("age", DataClassification.NotPersonal, sensitive: true, "dpo-id", "dpo@portal.local", Dpo, Now);

        var age = version.FindColumn("age")!;
        Assert.True(result.Succeeded);
        Assert.Equal([new ColumnClassificationChange(1, "age", DataClassification.Unclassified, false, DataClassification.NotPersonal, true)], result.Changes);
        Assert.Equal(DataClassification.NotPersonal, age.Classification);
        Assert.True(age.Sensitive); // a fairness group although not personal data
        Assert.Equal("dpo-id", age.ClassifiedBy);
        Assert.Equal("dpo@portal.local", age.ClassifiedByName);
        Assert.Equal(Now.UtcDateTime, age.ClassifiedUtc);
    }

    [Fact]
    public void ASpecialCategoryColumnIsAlwaysSensitive()
    {
        var version = Version();

        var result = version.Classify("health", DataClassification.SpecialCategory, sensitive: false, "dpo-id", "dpo@portal.local", Dpo, Now);

        Assert.True(version.FindColumn("health")!.Sensitive);
        Assert.True(result.Changes.Single().SensitiveAfter);
    }

    [Fact]
    public void UnclassifiedOrAnUndefinedValueIsRefusedSayingTheAllowedValues()
    {
        var version = Version();

        var back = version.Classify("age", DataClassification.Unclassified, false, "dpo-id", "dpo", Dpo, Now);
        var undefined = version.Classify("age", (DataClassification)42, false, "dpo-id", "dpo", Dpo, Now);

        Assert.Equal(ClassificationRefusalReason.InvalidInput, back.Refusal);
        Assert.Equal(ClassificationRefusalReason.InvalidInput, undefined.Refusal);
        Assert.Equal("classification must be one of NotPersonal, Personal or SpecialCategory.", back.Message);
        Assert.Equal(DataClassification.Unclassified, version.FindColumn("age")!.Classification);
    }

    [Fact]
    public void AnUnknownColumnIsRefusedNamingTheColumnsThereAre()
    {
        var result = Version().Classify("salary", DataClassification.Personal, false, "dpo-id", "dpo", Dpo, Now);

        Assert.Equal(ClassificationRefusalReason.UnknownColumn, result.Refusal);
        Assert.Contains("'salary'", result.Message);
        Assert.Contains("email, age, health, plan", result.Message);
    }

    [Fact]
    public void AColumnIsFoundIgnoringCaseAsHeaderNamesAreUniqueIgnoringCase()
    {
        var version = Version();

        version.Classify("EMAIL", DataClassification.Personal, false, "dpo-id", "dpo", Dpo, Now);

        Assert.Equal(DataClassification.Personal, version.FindColumn("email")!.Classification);
    }

    [Fact]
    public void ConfirmingWhatIsAlreadyRecordedChangesNothingAndKeepsWhoAndWhen()
    {
        var version = Version();
        version.Classify("plan", DataClassification.NotPersonal, false, "dpo-1", "first@portal.local", Dpo, Now);

        var again = version.Classify("plan", DataClassification.NotPersonal, false, "dpo-2", "second@portal.local", Dpo, Now.AddHours(1));

        Assert.True(again.Succeeded);
        Assert.Empty(again.Changes);
        Assert.Equal("first@portal.local", version.FindColumn("plan")!.ClassifiedByName);
        Assert.Equal(Now.UtcDateTime, version.FindColumn("plan")!.ClassifiedUtc);
    }

    [Fact]
    public void ConfirmingSuggestionsClassifiesEveryUnclassifiedColumnAndKeepsTheDposDecisions()
    {
        var version = Version();
        version.Classify("health", DataClassification.SpecialCategory, true, "dpo-id", "dpo@portal.local", Dpo, Now);

        var result = version.ConfirmSuggestions("dpo-id", "dpo@portal.local", Dpo, Now.AddMinutes(5));

        Assert.True(result.Succeeded);
        Assert.Equal(
        [
            new ColumnClassificationChange(0, "email", DataClassification.Unclassified, false, DataClassification.Personal, false),
            new ColumnClassificationChange(1, "age", DataClassification.Unclassified, false, DataClassification.NotPersonal, false),
            new ColumnClassificationChange(3, "plan", DataClassification.Unclassified, false, DataClassification.NotPersonal, false),
        ], result.Changes);
        Assert.Equal(DataClassification.SpecialCategory, version.FindColumn("health")!.Classification); // not overwritten by a suggestion
        Assert.Equal(Now.UtcDateTime, version.FindColumn("health")!.ClassifiedUtc);
        Assert.All(version.Columns, c => Assert.NotEqual(DataClassification.Unclassified, c.Classification));

        Assert.Empty(version.ConfirmSuggestions("dpo-id", "dpo@portal.local", Dpo, Now.AddMinutes(6)).Changes);
    }

    [Theory]
    [InlineData("Personal", DataClassification.Personal)]
    [InlineData(" specialcategory ", DataClassification.SpecialCategory)]
    [InlineData("NotPersonal", DataClassification.NotPersonal)]
    [InlineData("Unclassified", null)]
    [InlineData("2", null)]
    [InlineData("NotPersonal, Personal", null)] // Enum.TryParse would add these up to SpecialCategory
    [InlineData("", null)]
    [InlineData(null, null)]
    public void OnlyTheNamesOfAllowedClassificationsParse(string? text, DataClassification? expected) =>
        Assert.Equal(expected, ColumnClassificationRules.Parse(text));

    [Theory]
    [InlineData(DataClassification.Unclassified, true)]
    [InlineData(DataClassification.NotPersonal, false)]
    [InlineData(DataClassification.Personal, true)]
    [InlineData(DataClassification.SpecialCategory, true)]
    public void PersonalOrUnclassifiedDataNeedsTheDposSignOff(DataClassification classification, bool required) =>
        Assert.Equal(required, ColumnClassificationRules.RequiresSignOff(classification));

    [Fact]
    public void OnlyTheDpoHoldsTheClassifyDataCapability() =>
        Assert.Equal([Roles.DataProtectionOfficer], Roles.All.Where(r => AuthorizationMatrix.IsAllowed(Policies.ClassifyData, [r])));

    private static DatasetVersion Version() => DatasetVersion.Create(DatasetId.New(Now), 1, new string('a', 64), 100, 10, "people.csv", "[]",
    [
        DatasetColumn.Create(0, "email", ColumnType.Text, true, "name looks like an email address"),
        DatasetColumn.Create(1, "age", ColumnType.Numeric, false, null),
        DatasetColumn.Create(2, "health", ColumnType.Categorical, false, null),
        DatasetColumn.Create(3, "plan", ColumnType.Categorical, false, null),
    ], "scientist-id", Now);
}
