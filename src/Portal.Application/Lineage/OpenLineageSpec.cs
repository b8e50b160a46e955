namespace Portal.Application.Lineage;

/// <summary>
/// The OpenLineage specification Portal speaks: the versions of the schema files it validates against (copied from
/// github.com/OpenLineage/OpenLineage spec/, Apache-2.0, see Spec/NOTICE.md) and the URLs its own events name.
/// </summary>
public static class OpenLineageSpec
{
    public const string SchemaUrl = "https://openlineage.io/spec/2-0-2/OpenLineage.json";

    public const string RunEventSchemaUrl = SchemaUrl + "#/$defs/RunEvent";

    public const string SchemaFacetUrl = "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json";

    public const string VersionFacetUrl = "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json";

    public const string ErrorMessageFacetUrl = "https://openlineage.io/spec/facets/1-0-0/ErrorMessageRunFacet.json";

    /// <summary>The <c>producer</c> of Portal's events and the <c>_producer</c> of their facets.</summary>
    public const string Producer = "urn:portal:openlineage:1";

    public const string Start = "START";
    public const string Running = "RUNNING";
    public const string Complete = "COMPLETE";
    public const string Abort = "ABORT";
    public const string Fail = "FAIL";
    public const string Other = "OTHER";
}
