using System.Reflection;
using System.Text.Json;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Ids;
using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Ids;

public sealed class StronglyTypedIdTests
{
    private const string Uuid = "0192f0c4-5a3b-7c00-8d11-0000000000aa";

    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private sealed record Shapes(RunId Run, DatasetId Dataset, DatasetVersionId? Version, ExperimentId? Experiment, Dictionary<RunId, int> ByRun);

    [Fact]
    public void JsonCarriesEveryIdAsThePlainUuidStringAsBareGuidsDid()
    {
        var id = Guid.Parse(Uuid);
        var shapes = new Shapes(new RunId(id), new DatasetId(id), new DatasetVersionId(id), null, new() { [new RunId(id)] = 1 });

        var json = JsonSerializer.Serialize(shapes, JsonSerializerOptions.Web);

        Assert.Equal(JsonSerializer.Serialize(new { run = id, dataset = id, version = id, experiment = (Guid?)null, byRun = new Dictionary<Guid, int> { [id] = 1 } },
            JsonSerializerOptions.Web), json);
        var read = JsonSerializer.Deserialize<Shapes>(json, JsonSerializerOptions.Web)!;
        Assert.Equal((shapes.Run, shapes.Dataset, shapes.Version, shapes.Experiment), (read.Run, read.Dataset, read.Version, read.Experiment));
        Assert.Equal(shapes.ByRun, read.ByRun);
    }

    [Fact]
    public void JsonRefusesAnIdThatIsNotAUuid() =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<RunId>("\"run-7\""));

    [Fact]
    public void TextIsThePlainGuidFormAndParsesBack()
    {
        var id = RunId.Parse(Uuid);

        Assert.Equal(Uuid, id.ToString());
        Assert.Equal($"runs/{Uuid}", $"runs/{id}");
        Assert.True(ExperimentId.TryParse(Uuid.ToUpperInvariant(), out var experiment));
        Assert.Equal(Guid.Parse(Uuid), experiment.Value);
        Assert.False(DatasetId.TryParse("not-a-uuid", out _));
        Assert.False(DatasetVersionId.TryParse(null, out _));
        Assert.Throws<FormatException>(() => RunId.Parse("not-a-uuid"));
    }

    [Fact]
    public void NewIdsAreVersion7AndSortInCreationOrder()
    {
        var first = RunId.New(Now);
        var second = RunId.New(Now.AddMilliseconds(1));

        Assert.Equal(7, first.Value.Version);
        Assert.True(first.Value.CompareTo(second.Value) < 0);
        Assert.NotEqual(RunId.New(Now), RunId.New(Now));
    }

    [Fact]
    public void EveryIdTypeNamesTheSharedJsonConverter()
    {
        var idTypes = typeof(IStronglyTypedId<>).Assembly.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStronglyTypedId<>)))
            .ToList();

        Assert.Superset(new HashSet<string> { "DatasetId", "DatasetVersionId", "ExperimentId", "RunId", "RegisteredModelId", "ModelVersionId", "PromotionRequestId" }, idTypes.Select(t => t.Name).ToHashSet());
        Assert.All(idTypes, t => Assert.Equal(typeof(StronglyTypedIdJsonConverter<>).MakeGenericType(t),
            t.GetCustomAttribute<System.Text.Json.Serialization.JsonConverterAttribute>()?.ConverterType));
    }
}
