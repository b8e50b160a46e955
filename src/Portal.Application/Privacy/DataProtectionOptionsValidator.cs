using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Application.Hosting;
using Portal.Data;

namespace Portal.Application.Privacy;

/// <summary>
/// Refuses at start an erasure-index key that is set but unusable — not base64, shorter than 32 bytes, or a key file that does not
/// exist or is too short — so the operator learns it from the start-up message, not from the first upload.
/// </summary>
public sealed class DataProtectionOptionsValidator(IOptions<DatabaseOptions> database, IHostEnvironment environment) : IValidateOptions<DataProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, DataProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.SubjectKey))
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(options.SubjectKey.Trim());
            }
            catch (FormatException)
            {
                return ValidateOptionsResult.Fail("DataProtection:SubjectKey is not base64: give the key's bytes in base64 (32 bytes or more).");
            }

            return bytes.Length >= SubjectKey.MinimumKeyBytes
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"DataProtection:SubjectKey is {bytes.Length} bytes; the erasure-index key must be at least {SubjectKey.MinimumKeyBytes}.");
        }

        if (!string.IsNullOrWhiteSpace(options.SubjectKeyFile))
        {
            var path = SubjectKeyProvider.KeyFilePath(options, PortalDataExtensions.ResolveDataDirectory(database.Value, environment));
            if (!File.Exists(path))
            {
                return ValidateOptionsResult.Fail($"DataProtection:SubjectKeyFile names {path}, which does not exist.");
            }

            var length = new FileInfo(path).Length;
            if (length < SubjectKey.MinimumKeyBytes)
            {
                return ValidateOptionsResult.Fail($"DataProtection:SubjectKeyFile {path} holds {length} bytes; the erasure-index key must be at least {SubjectKey.MinimumKeyBytes}.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
