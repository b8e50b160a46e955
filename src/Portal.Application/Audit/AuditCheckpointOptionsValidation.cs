using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Portal.Application.Audit;

/// <summary>At start: a configured signing key must exist and be an ECDSA P-256 private key in PEM.</summary>
internal sealed class AuditCheckpointOptionsValidation(IHostEnvironment environment) : IValidateOptions<AuditCheckpointOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditCheckpointOptions options) =>
        string.IsNullOrWhiteSpace(options.SigningKeyPath) || AuditCheckpointKeys.Problem(options.SigningKeyPath, environment.ContentRootPath) is not { } problem
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problem);
}
