namespace Portal.Domain.Registry;

/// <summary>How an API answers a <see cref="Refusal"/>: 403, 409 or 400 (application/problem+json with the refusal's message).</summary>
public enum RefusalCategory
{
    /// <summary>403: this person may never do this (role, four-eyes).</summary>
    Forbidden,

    /// <summary>409: not now (state, failed gate, missing sign-off, stale evidence).</summary>
    Conflict,

    /// <summary>400: fix the input (a missing comment or reason).</summary>
    Invalid,
}
