namespace Portal.Domain.Security;

/// <summary>Scopes a personal API token may carry. A token never exceeds its user's roles.</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Predict = "predict";

    public static readonly IReadOnlyList<string> All = [Read, Write, Predict];

    /// <summary>Parses "read,write" into a normalised, de-duplicated, ordered list; unknown scopes are reported.</summary>
    public static bool TryParse(string? text, out IReadOnlyList<string> scopes, out string? error)
    {
        scopes = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "At least one scope is required (read, write, predict).";
            return false;
        }

        var parsed = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant())
            .Distinct()
            .ToList();
        var unknown = parsed.Where(s => !All.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            error = $"Unknown scope(s): {string.Join(", ", unknown)}. Allowed: read, write, predict.";
            return false;
        }

        if (parsed.Count == 0)
        {
            error = "At least one scope is required (read, write, predict).";
            return false;
        }

        scopes = All.Where(parsed.Contains).ToList();
        return true;
    }
}
