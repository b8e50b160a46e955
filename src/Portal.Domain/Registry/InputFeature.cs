namespace Portal.Domain.Registry;

/// <summary>
/// One input column of a model's signature: the name the model reads and its ML.NET type as the model's input schema
/// states it (e.g. <c>Single</c>, <c>String</c>, <c>Boolean</c>, <c>Vector&lt;Single, 4&gt;</c>). Names compare ordinally,
/// as ML.NET binds input columns: "Age" and "age" are two features.
/// </summary>
public sealed record InputFeature(string Name, string Type);
