using Portal.Ml.Serving;

namespace Portal.Ml.Tests.Serving;

public sealed class FeedbackJudgeTests
{
    [Theory]
    [InlineData("true", "yes", true)]
    [InlineData("true", "0", false)]
    [InlineData("false", "N", true)]
    [InlineData("setosa", "setosa", true)]
    [InlineData("setosa", "virginica", false)]
    public void ClassificationLabelIsJudgedInAnySpellingTrainingAccepts(string predicted, string actual, bool correct)
    {
        var verdict = FeedbackJudge.Judge(predicted, null, predicted is "true" or "false" ? ["true", "false"] : ["setosa", "virginica"], actual);

        Assert.Equal(correct, verdict.Correct);
        Assert.Null(verdict.Problem);
    }

    [Fact]
    public void NamedBinaryClassesAcceptYesNoSpellingsWithTheFirstClassPositive()
    {
        Assert.True(FeedbackJudge.Judge("defaulted", null, ["defaulted", "repaid"], "1").Correct);
        Assert.False(FeedbackJudge.Judge("defaulted", null, ["defaulted", "repaid"], "no").Correct);
    }

    [Fact]
    public void UnknownClassIsRefusedNamingTheClasses()
    {
        var verdict = FeedbackJudge.Judge("setosa", null, ["setosa", "virginica"], "rose");

        Assert.Null(verdict.Correct);
        Assert.Equal("'rose' is not one of the model's classes (setosa, virginica).", verdict.Problem);
    }

    [Fact]
    public void RegressionLabelGivesTheAbsoluteErrorAndMustBeANumber()
    {
        Assert.Equal(2.5, FeedbackJudge.Judge(null, 10, null, "12.5").AbsoluteError);
        Assert.NotNull(FeedbackJudge.Judge(null, 10, null, "twelve").Problem);
    }
}
