using System.Text;
using System.Text.Json;
using Portal.Ml.Serving;
using Portal.Web.Features.Serving;

namespace Portal.Web.Tests.Serving;

/// <summary>How a row's outputs are written, for the answer and for the log.</summary>
public sealed class LoggedOutputTests
{
    [Fact]
    public void ModelFloatsAreWrittenAsTheirShortestFloatTextAndReadBackToTheSameFloatWhileOtherDoublesKeepEveryDigit()
    {
        var row = new RowPrediction("true", (double)1.1f, new Dictionary<string, double> { ["true"] = (double)0.05458565f, ["false"] = 0.123456789012345 }, null);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            LoggedOutput.Write(json, [row]);
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());

        Assert.Equal("""[{"predictedLabel":"true","score":1.1,"probabilities":{"true":0.05458565,"false":0.123456789012345}}]""", text);
        var read = JsonSerializer.Deserialize<LoggedOutput[]>(text, LoggedOutput.Json)!.Single();
        Assert.Equal(1.1f, (float)read.Score!.Value);
        Assert.Equal(0.05458565f, (float)read.Probabilities!["true"]);
        Assert.Equal(0.123456789012345, read.Probabilities["false"]);
    }
}
