using Portal.Domain.Text;

namespace Portal.Domain.Tests.Text;

/// <summary>The one text rule: what a name or a free text may hold, over a table of hostile strings and of honest ones.</summary>
public sealed class TextRuleTests
{
    /// <summary>Strings that lie about themselves on a screen, in a terminal or an export, with what the refusal must say.</summary>
    public static TheoryData<string, string> HostileForBoth() => new()
    {
        { "churn\0model", "control character" },
        { "\u001b[31mchurn\u001b[0m", "escape character" },
        { "churn\u007f", "control character" },
        { "ch\u0085urn", "control character" },
        { "invoice\u202Etxt.exe", "bidirectional control" },
        { "\u2066churn\u2069", "bidirectional control" },
        { "churn\u2067", "bidirectional control" },
        { "\u200Fchurn", "bidirectional control" },
    };

    /// <summary>Fine in a description, not in a name (one line of visible characters, no invisible lookalikes).</summary>
    public static TheoryData<string, string> HostileForNamesOnly() => new()
    {
        { "churn\nmodel", "control character" },
        { "churn\tmodel", "control character" },
        { "churn\u2028model", "line break" },
        { "ch\u200Burn", "invisible formatting character" },
        { "churn\u200D", "invisible formatting character" },
        { "\u200Cchurn", "invisible formatting character" },
        { "ch \u200D urn", "invisible formatting character" },
        { "churn\uFEFF", "invisible formatting character" },
        { "ch\u2060urn", "invisible formatting character" },
        { "ch\u00ADurn", "invisible formatting character" },
    };

    /// <summary>Honest names from the world: accents, other scripts, joiners inside words and emoji.</summary>
    public static TheoryData<string> HonestNames() => new()
    {
        "Churn 2026 (Q3) — größe/ü",
        "客户流失",
        "می\u200Cخواهم",
        "👩\u200D💻 notebook runs",
        "Ølstad's model #2",
        "مشتری",
    };

    [Theory]
    [MemberData(nameof(HostileForBoth))]
    public void NamesRefuseHostileCharactersAndSayWhichAndWhere(string value, string expected)
    {
        var problem = TextRule.NameProblem("name", value, 128);

        Assert.NotNull(problem);
        Assert.StartsWith("name cannot contain", problem);
        Assert.Contains(expected, problem);
        Assert.Contains("U+", problem);
    }

    [Theory]
    [MemberData(nameof(HostileForBoth))]
    public void FreeTextRefusesTheSameHostileCharacters(string value, string expected)
    {
        var problem = TextRule.FreeTextProblem("description", value, 2000);

        Assert.NotNull(problem);
        Assert.StartsWith("description cannot contain", problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void LoneSurrogatesAreRefusedAndPairedOnesAccepted()
    {
        // Built here: xUnit's theory data would replace a lone surrogate with U+FFFD on its way to the test.
        string[] lone = [string.Concat("churn", ((char)0xD800).ToString()), string.Concat(((char)0xDC00).ToString(), "churn")];

        Assert.All(lone, value => Assert.Contains("lone surrogate", TextRule.NameProblem("name", value, 128)));
        Assert.All(lone, value => Assert.Contains("lone surrogate", TextRule.FreeTextProblem("description", value, 2000)));
        Assert.Null(TextRule.NameProblem("name", "churn 📈", 128));
    }

    [Theory]
    [MemberData(nameof(HostileForNamesOnly))]
    public void NamesAreOneLineOfVisibleCharacters(string value, string expected)
    {
        var problem = TextRule.NameProblem("name", value, 128);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem);
    }

    [Theory]
    [InlineData("Line one.\nLine two.\r\n\tIndented.")]
    [InlineData("ZWSP\u200Bis harmless in prose")]
    [InlineData("Persian: می\u200Cخواهم")]
    public void FreeTextKeepsLineBreaksTabsAndJoiners(string value) => Assert.Null(TextRule.FreeTextProblem("description", value, 2000));

    [Theory]
    [MemberData(nameof(HonestNames))]
    public void HonestNamesInAnyScriptAreAccepted(string value) => Assert.Null(TextRule.NameProblem("name", value, 128));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ANameIsRequired(string? value) => Assert.Equal("name is required: 1 to 128 characters.", TextRule.NameProblem("name", value, 128));

    [Fact]
    public void OverlongTextIsRefusedWithTheLimitAndTheLength()
    {
        Assert.Equal("name is at most 128 characters; it has 129.", TextRule.NameProblem("name", new string('a', 129), 128));
        Assert.Null(TextRule.NameProblem("name", "  " + new string('a', 128) + "  ", 128));
        Assert.Equal("description is at most 2000 characters; it has 2001.", TextRule.FreeTextProblem("description", new string('a', 2001), 2000));
        Assert.Null(TextRule.FreeTextProblem("description", null, 2000));
    }

    [Theory]
    [InlineData("Churn", "churn")]
    [InlineData("CHURN", " churn ")]
    [InlineData("Größe", "GRÖßE")]
    [InlineData("ｃｈｕｒｎ", "churn")]
    [InlineData("Ch\u200Durn", "churn")]
    public void NamesThatDifferOnlyInCaseWidthOrJoinersNormalizeAlike(string a, string b) =>
        Assert.Equal(TextRule.NormalizedName(a), TextRule.NormalizedName(b));

    [Fact]
    public void DifferentNamesStayDifferent() => Assert.NotEqual(TextRule.NormalizedName("churn"), TextRule.NormalizedName("churn2"));
}
