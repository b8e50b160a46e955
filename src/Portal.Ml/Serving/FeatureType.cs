using System.Globalization;
using Microsoft.ML.Data;

namespace Portal.Ml.Serving;

/// <summary>The kinds of input column a served model can read from JSON, parsed from the signature's ML.NET type names.</summary>
internal enum FeatureKind
{
    Single,
    Double,
    Int32,
    Int64,
    Boolean,
    Text,
    DateTime,
    SingleVector,
}

/// <summary>One signature type: <c>Single</c>, <c>String</c>, <c>Vector&lt;Single, 4&gt;</c> ...</summary>
internal readonly record struct FeatureType(FeatureKind Kind, int Size)
{
    public static bool TryParse(string name, out FeatureType type)
    {
        type = name switch
        {
            "Single" => new(FeatureKind.Single, 1),
            "Double" => new(FeatureKind.Double, 1),
            "Int32" => new(FeatureKind.Int32, 1),
            "Int64" => new(FeatureKind.Int64, 1),
            "Boolean" => new(FeatureKind.Boolean, 1),
            "String" or "ReadOnlyMemory`1" => new(FeatureKind.Text, 1),
            "DateTime" => new(FeatureKind.DateTime, 1),
            _ => default,
        };
        if (type.Size > 0)
        {
            return true;
        }

        const string prefix = "Vector<Single, ";
        if (name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith('>')
            && int.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0)
        {
            type = new(FeatureKind.SingleVector, size);
            return true;
        }

        return false;
    }

    public DataViewType DataViewType => Kind switch
    {
        FeatureKind.Single => NumberDataViewType.Single,
        FeatureKind.Double => NumberDataViewType.Double,
        FeatureKind.Int32 => NumberDataViewType.Int32,
        FeatureKind.Int64 => NumberDataViewType.Int64,
        FeatureKind.Boolean => BooleanDataViewType.Instance,
        FeatureKind.Text => TextDataViewType.Instance,
        FeatureKind.DateTime => DateTimeDataViewType.Instance,
        _ => new VectorDataViewType(NumberDataViewType.Single, Size),
    };

    /// <summary>What a caller must send, for the error that says a field is mistyped.</summary>
    public string Expected => Kind switch
    {
        FeatureKind.Single or FeatureKind.Double => "a number",
        FeatureKind.Int32 or FeatureKind.Int64 => "a whole number",
        FeatureKind.Boolean => "true or false",
        FeatureKind.Text => "a string",
        FeatureKind.DateTime => "a date as ISO 8601 text (e.g. \"2024-01-31\")",
        _ => $"an array of {Size} numbers",
    };
}
