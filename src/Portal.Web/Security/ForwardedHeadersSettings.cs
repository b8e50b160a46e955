using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Portal.Web.Security;

/// <summary>
/// Reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> Portal believes (section
/// <c>ForwardedHeaders</c>). Empty (the default): no forwarded header is believed from anyone, so a client cannot
/// choose the address its sign-in attempts are counted under or the scheme of redirects. <c>X-Forwarded-Host</c> is
/// never used: the host comes from the request and must be one of <c>AllowedHosts</c>.
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>IP addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"ForwardedHeaders:KnownProxies holds '{proxy}', which is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"ForwardedHeaders:KnownNetworks holds '{network}', which is not a network in CIDR notation (10.0.0.0/24).", [nameof(KnownNetworks)]);
        }
    }
}
