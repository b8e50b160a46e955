namespace Portal.Domain.Registry;

/// <summary>The data protection officer's verdict on the data a version learned from, with the evidence snapshot they saw.</summary>
public sealed record DataProtectionSignOff(string OfficerId, bool Allow, string Comment, string EvidenceSha256Seen, DateTime SignedUtc);
