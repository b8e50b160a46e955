using System.ComponentModel.DataAnnotations;

namespace Portal.Data;

/// <summary>Where Portal keeps its data. Bound from the <c>Database</c> section and validated at start.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (embedded default) or <c>Postgres</c> (scale-out).</summary>
    [Required]
    [RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "Database:Provider must be Sqlite or Postgres.")]
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>Folder for the SQLite file and artifacts, relative to the content root unless absolute.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Connection string; for SQLite, blank means <c>{DataDirectory}/portal.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start (the embedded default). Turn off where a DBA migrates.</summary>
    public bool MigrateOnStart { get; set; } = true;
}

public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";
}
