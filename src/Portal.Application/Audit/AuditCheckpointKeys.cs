using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Hosting;
using Portal.Data;
using Portal.Domain.Audit;

namespace Portal.Application.Audit;

/// <summary>
/// The checkpoint signing key of this process, loaded once from <see cref="AuditCheckpointOptions.SigningKeyPath"/> (or, in
/// Development only, generated once into the data folder's <c>keys/</c>). Several processes sharing a data folder in
/// Development share the generated key: it is written to a temporary file and moved into place, and a process that loses that
/// race reads the winner's key.
/// </summary>
public sealed class AuditCheckpointKeys : IDisposable
{
    public const string DevelopmentKeyFile = "audit-checkpoint-signing-key.pem";

    private readonly Lazy<AuditSigningKey?> key;

    public AuditCheckpointKeys(IOptions<AuditCheckpointOptions> options, IOptions<DatabaseOptions> database, IHostEnvironment environment,
        ILogger<AuditCheckpointKeys> logger)
    {
        var settings = options.Value;
        var dataDirectory = PortalDataExtensions.ResolveDataDirectory(database.Value, environment);
        PublishDirectory = string.IsNullOrWhiteSpace(settings.PublishDirectory)
            ? Path.Combine(dataDirectory, "audit-checkpoints")
            : Path.GetFullPath(Path.Combine(environment.ContentRootPath, settings.PublishDirectory));
        key = new Lazy<AuditSigningKey?>(() => Load(settings, dataDirectory, environment, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Absolute folder checkpoints are published to.</summary>
    public string PublishDirectory { get; }

    /// <summary>The signing key, or null when none is configured (outside Development).</summary>
    public AuditSigningKey? SigningKey => key.Value;

    public bool IsConfigured => SigningKey is not null;

    public const string NotConfiguredMessage =
        "Audit checkpoints are not configured: set AuditCheckpoints:SigningKeyPath to a PEM file holding an ECDSA P-256 private key.";

    public void Dispose()
    {
        if (key.IsValueCreated)
        {
            key.Value?.Dispose();
        }
    }

    /// <summary>Why a configured key file cannot be used, or null when it can (the start-up validation).</summary>
    public static string? Problem(string path, string contentRoot)
    {
        var full = Path.GetFullPath(Path.Combine(contentRoot, path));
        if (!File.Exists(full))
        {
            return $"AuditCheckpoints:SigningKeyPath names '{full}', which does not exist.";
        }

        try
        {
            using var _ = AuditSigningKey.FromPem(File.ReadAllText(full));
            return null;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return $"AuditCheckpoints:SigningKeyPath '{full}' does not hold an ECDSA P-256 private key in PEM: {ex.Message}";
        }
    }

    private static AuditSigningKey? Load(AuditCheckpointOptions settings, string dataDirectory, IHostEnvironment environment, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(settings.SigningKeyPath))
        {
            return AuditSigningKey.FromPem(File.ReadAllText(Path.GetFullPath(Path.Combine(environment.ContentRootPath, settings.SigningKeyPath))));
        }

        if (!environment.IsDevelopment())
        {
            logger.LogWarning("{Message} No audit checkpoints are signed, so a history rewritten consistently in the database would go unnoticed.", NotConfiguredMessage);
            return null;
        }

        var folder = Path.Combine(dataDirectory, "keys");
        var path = Path.Combine(folder, DevelopmentKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            using var generated = AuditSigningKey.Generate();
            var temporary = Path.Combine(folder, $".{Guid.NewGuid():N}.tmp");
            var write = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                write.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, write))
            {
                writer.Write(generated.ExportPrivateKeyPem());
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                logger.LogWarning("Development: generated an audit checkpoint signing key at {Path}. Outside Development configure AuditCheckpoints:SigningKeyPath with a key kept outside the database and the repository.", path);
            }
            catch (IOException)
            {
                // Another process sharing this data folder generated it first: use theirs.
                File.Delete(temporary);
            }
        }
        else
        {
            logger.LogWarning("Development: signing audit checkpoints with the generated key {Path}; configure AuditCheckpoints:SigningKeyPath outside Development.", path);
        }

        return AuditSigningKey.FromPem(File.ReadAllText(path));
    }
}
