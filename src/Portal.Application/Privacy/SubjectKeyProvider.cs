using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Portal.Application.Privacy;

/// <summary>
/// Finds the erasure-index key once, on first use: <see cref="DataProtectionOptions.SubjectKey"/> (base64), else the file
/// <see cref="DataProtectionOptions.SubjectKeyFile"/>, else — in Development only — <c>&lt;data folder&gt;/keys/subject-index.key</c>, made with 32
/// random bytes when missing. Never in the database, never in the repository. Outside Development with neither there is no key:
/// uploads are kept without an index (the worker's sweep indexes them once a key is configured) and erasure searches answer 409
/// saying which setting is missing. A malformed key is refused at start (<see cref="DataProtectionOptionsValidator"/>).
/// </summary>
public sealed class SubjectKeyProvider
{
    public const string DevelopmentKeyFile = "keys/subject-index.key";

    /// <summary>What an erasure search answers while no key is configured.</summary>
    public const string NotConfigured =
        "No erasure-index key is configured: set DataProtection:SubjectKey (base64, 32 bytes or more) or DataProtection:SubjectKeyFile; " +
        "the worker then indexes every dataset version uploaded meanwhile.";

    private readonly Lazy<SubjectKey?> key;

    public SubjectKeyProvider(IOptions<DataProtectionOptions> options, IHostEnvironment environment, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        key = new(() => Load(options.Value, environment, dataDirectory), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A provider of a key already in hand (tests, benchmarks).</summary>
    public SubjectKeyProvider(SubjectKey key) => this.key = new(key);

    /// <summary>The key; throws when none is configured (callers that may run without one use <see cref="Configured"/>).</summary>
    public SubjectKey Key => key.Value ?? throw new InvalidOperationException(NotConfigured);

    /// <summary>The key, or null outside Development when none is configured.</summary>
    public SubjectKey? Configured => key.Value;

    private static SubjectKey? Load(DataProtectionOptions settings, IHostEnvironment environment, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(settings.SubjectKey))
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(settings.SubjectKey.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("DataProtection:SubjectKey is not base64.");
            }

            return new SubjectKey(bytes);
        }

        if (!string.IsNullOrWhiteSpace(settings.SubjectKeyFile))
        {
            var path = KeyFilePath(settings, dataDirectory);
            return File.Exists(path)
                ? new SubjectKey(File.ReadAllBytes(path))
                : throw new InvalidOperationException($"DataProtection:SubjectKeyFile names {path}, which does not exist.");
        }

        if (!environment.IsDevelopment())
        {
            return null;
        }

        var generated = Path.Combine(dataDirectory, DevelopmentKeyFile);
        if (!File.Exists(generated))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(generated)!);
            try
            {
                using var file = new FileStream(generated, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                file.Write(RandomNumberGenerator.GetBytes(32));
            }
            catch (IOException) when (File.Exists(generated))
            {
                // Another process of this installation made it first: use theirs.
            }
        }

        return new SubjectKey(File.ReadAllBytes(generated));
    }

    /// <summary>The key file's full path: a relative path is taken from the data folder.</summary>
    public static string KeyFilePath(DataProtectionOptions settings, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Path.GetFullPath(Path.Combine(dataDirectory, settings.SubjectKeyFile ?? ""));
    }
}
