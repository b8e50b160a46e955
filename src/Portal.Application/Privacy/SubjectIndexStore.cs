using Portal.Domain.Datasets;

namespace Portal.Application.Privacy;

/// <summary>
/// Where the erasure index files live: <c>&lt;artifact root&gt;/subject-index/&lt;dataset version id&gt;/&lt;column ordinal&gt;.idx</c>. Paths
/// are made here from a typed id and a number only, and a stored relative path is resolved only when it stays inside the root.
/// </summary>
public sealed class SubjectIndexStore
{
    private const string Folder = "subject-index";

    private readonly string root;

    public SubjectIndexStore(string artifactRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactRoot);
        root = Path.GetFullPath(artifactRoot);
    }

    /// <summary>The relative path (from the artifact root, forward slashes) of a column's index file.</summary>
    public static string RelativePath(DatasetVersionId versionId, int ordinal) =>
        $"{Folder}/{versionId.Value:N}/{ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)}.idx";

    /// <summary>The absolute path of a stored relative path; throws when it would leave the artifact root.</summary>
    public string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("An index path must stay inside the artifact root.", nameof(relativePath));
        }

        return full;
    }
}
