using System.Text;
using System.Text.Json;
using Portal.Ml.Serving;
using Portal.Web.Features.Serving;

namespace Portal.Web.Tests.Serving;

/// <summary>How a request's outputs are written once (<see cref="WrittenOutputs"/>), for the answer and for the log.</summary>
public sealed class LoggedOutputTests
{
    [Fact]
    public void ModelFloatsAreWrittenAsTheirShortestFloatTextAndReadBackToTheSameFloatWhileOtherDoublesKeepEveryDigit()
    {
        var row = new RowPrediction("true", (double)1.1f, new Dictionary<string, double> { ["true"] = (double)0.05458565f, ["false"] = 0.123456789012345 }, null);
        using var outputs = WrittenOutputs.Write([row], encoder: null);

        var text = Encoding.UTF8.GetString(outputs.Json);

        Assert.Equal("""[{"predictedLabel":"true","score":1.1,"probabilities":{"true":0.05458565,"false":0.123456789012345}}]""", text);
        var read = JsonSerializer.Deserialize<LoggedOutput[]>(text, LoggedOutput.Json)!.Single();
        Assert.Equal(1.1f, (float)read.Score!.Value);
        Assert.Equal(0.05458565f, (float)read.Probabilities!["true"]);
        Assert.Equal(0.123456789012345, read.Probabilities["false"]);
    }

    [Fact]
    public void TheLoggedArrayIsWhatTheSerializerWritesAndEachRowsMembersAreItsObjectWithoutTheBraces()
    {
        // Enough rows to outgrow the first rented buffer several times; labels that need escaping; a row with no members.
        RowPrediction[] rows =
        [
            new("<ja> \"✓\"", null, new Dictionary<string, double> { ["<ja> \"✓\""] = 0.3, ["nein"] = 0.7 }, null),
            new(null, null, null, null),
            RowPrediction.Refused("missing: \"age\""),
            .. Enumerable.Range(0, 2_000).Select(i => new RowPrediction(null, i * 1e-3 + 1e-9, null, null)),
        ];
        var logged = rows.Select(r => new LoggedOutput(r.PredictedLabel, r.Score, r.Probabilities, r.Error)).ToArray();

        using var outputs = WrittenOutputs.Write(rows, encoder: null);

        Assert.Equal(JsonSerializer.Serialize(logged, LoggedOutput.Json), Encoding.UTF8.GetString(outputs.Json));
        Assert.Equal(rows.Length, outputs.Count);
        for (var r = 0; r < rows.Length; r++)
        {
            var one = JsonSerializer.Serialize(logged[r], LoggedOutput.Json);
            Assert.Equal(one[1..^1], Encoding.UTF8.GetString(outputs.MembersOf(r)));
        }

        outputs.Dispose();
        Assert.Throws<ObjectDisposedException>(() => outputs.MembersOf(0).Length);
    }
}
