namespace Portal.Worker.Hosting;

/// <summary>Whether this worker runs inside the web process; its id is resolved from options at start.</summary>
public sealed record WorkerIdentity(bool Embedded);
