using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Registry;

namespace Portal.Ml.Registry;

/// <summary>
/// Reads a model file's input signature: the columns of the input schema ML.NET saved with the model, with their types,
/// without the label (a caller never sends it). A file that is not an ML.NET model, or one saved without its input
/// schema, is refused in words, so a registry never holds a version nobody could load.
/// </summary>
public static class ModelSignatureReader
{
    public static IReadOnlyList<InputFeature> Read(Stream modelZip, string? labelColumn)
    {
        ArgumentNullException.ThrowIfNull(modelZip);
        var ml = new MLContext(seed: 0);
        DataViewSchema schema;
        try
        {
            ml.Model.Load(modelZip, out schema);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException("The file is not an ML.NET model (a zip saved with MLContext.Model.Save).", ex);
        }

        if (schema is null || schema.Count == 0)
        {
            throw new InvalidDataException("The ML.NET model was saved without its input schema (save it with MLContext.Model.Save(model, inputSchema, ...)).");
        }

        return schema.Where(c => !c.IsHidden && c.Name != labelColumn)
            .Select(c => new InputFeature(c.Name, TypeName(c.Type)))
            .DistinctBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static string TypeName(DataViewType type) => type switch
    {
        VectorDataViewType vector => vector.Size > 0 ? $"Vector<{vector.ItemType.RawType.Name}, {vector.Size}>" : $"Vector<{vector.ItemType.RawType.Name}>",
        _ => type.RawType.Name,
    };
}
