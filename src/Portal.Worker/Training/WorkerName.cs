namespace Portal.Worker.Training;

/// <summary>This worker's identity in leases and heartbeats.</summary>
public sealed record WorkerName(string Value);
