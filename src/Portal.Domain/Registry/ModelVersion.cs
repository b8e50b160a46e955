using Portal.Domain.Datasets;
using Portal.Domain.Runs;

namespace Portal.Domain.Registry;

/// <summary>
/// One version of a <see cref="RegisteredModel"/>, numbered 1, 2, ... per model: the run that made it, the dataset versions
/// it learned from, its input signature, its metrics and the SHA-256 of its model file. Created and moved between stages
/// only through its model, which keeps at most one version in Production.
/// </summary>
public sealed class ModelVersion
{
    private ModelVersion()
    {
    }

    public ModelVersionId Id { get; private set; }

    public RegisteredModelId ModelId { get; private set; }

    public int Number { get; private set; }

    public RunId RunId { get; private set; }

    /// <summary>Who submitted the run: a party to the promotion, so never one of its approvers (four-eyes).</summary>
    public string RunSubmittedBy { get; private set; } = "";

    public IReadOnlyList<DatasetVersionId> DatasetVersionIds { get; private set; } = [];

    public IReadOnlyList<InputFeature> InputSignature { get; private set; } = [];

    public IReadOnlyDictionary<string, double> Metrics { get; private set; } = new Dictionary<string, double>();

    public string ModelSha256 { get; private set; } = "";

    public ModelStage Stage { get; private set; }

    public string RegisteredBy { get; private set; } = "";

    public DateTime RegisteredUtc { get; private set; }

    public DateTime StageChangedUtc { get; private set; }

    internal static ModelVersion Create(RegisteredModelId modelId, int number, VersionRegistration registration, string registeredBy, DateTimeOffset now) => new()
    {
        Id = ModelVersionId.New(now),
        ModelId = modelId,
        Number = number,
        RunId = registration.RunId,
        RunSubmittedBy = registration.RunSubmittedBy,
        DatasetVersionIds = [.. registration.DatasetVersionIds],
        InputSignature = [.. registration.InputSignature],
        Metrics = new Dictionary<string, double>(registration.Metrics, StringComparer.Ordinal),
        ModelSha256 = registration.ModelSha256,
        Stage = ModelStage.None,
        RegisteredBy = registeredBy,
        RegisteredUtc = now.UtcDateTime,
        StageChangedUtc = now.UtcDateTime,
    };

    internal void MoveTo(ModelStage stage, DateTime nowUtc)
    {
        Stage = stage;
        StageChangedUtc = nowUtc;
    }
}
