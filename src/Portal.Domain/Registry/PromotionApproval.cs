namespace Portal.Domain.Registry;

/// <summary>A BusinessManager's approval, with the evidence snapshot they saw: it counts only while that snapshot is current.</summary>
public sealed record PromotionApproval(string ApproverId, string Comment, string EvidenceSha256Seen, DateTime ApprovedUtc);
