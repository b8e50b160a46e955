namespace Portal.Data.Tests.Artifacts;

/// <summary>Tests that measure process-wide allocations and so must not run beside other tests.</summary>
[CollectionDefinition(nameof(LargeUploadTests), DisableParallelization = true)]
public sealed class LargeUploadCollection;
