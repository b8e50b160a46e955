using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Portal.Application.Privacy;

/// <summary>
/// Finds the erasure-index key once, on first use: <see cref="DataProtectionOptions.SubjectKey"/> (base64), else the file
/// <see cref="DataProtectionOptions.SubjectKeyFile"/>, else — in Development only — <c>&lt;data folder&gt;/keys/subject-index.key</c>, made with 32
/// random bytes when missing. Never in the database, never in the repository.
/// </summary>
public sealed class SubjectKeyProvider
{
    public const string DevelopmentKeyFile = "keys/subject-index.key";

    private readonly Lazy<SubjectKey> key;

    public SubjectKeyProvider(IOptions<DataProtectionOptions> options, IHostEnvironment environment, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        key = new(() => Load(options.Value, environment, dataDirectory), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A provider of a key already in hand (tests, benchmarks).</summary>
    public SubjectKeyProvider(SubjectKey key) => this.key = new(key);

    public SubjectKey Key => key.Value;

    private static SubjectKey Load(DataProtectionOptions settings, IHostEnvironment environment, string dataDirectory)
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
            var path = Path.GetFullPath(Path.Combine(dataDirectory, settings.SubjectKeyFile));
            return File.Exists(path)
                ? new SubjectKey(File.ReadAllBytes(path))
                : throw new InvalidOperationException($"DataProtection:SubjectKeyFile names {path}, which does not exist.");
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "No erasure-index key: set DataProtection:SubjectKey (base64, 32 bytes or more) or DataProtection:SubjectKeyFile outside Development.");
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
}
