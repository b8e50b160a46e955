using System.Security.Cryptography;
using Portal.Data.Artifacts;

namespace Portal.Data.Tests.Artifacts;

/// <summary>Runs alone so the process-wide allocation counter is not inflated by other tests.</summary>
[Collection(nameof(LargeUploadTests))]
public sealed class LargeUploadTests : IDisposable
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    private readonly TempStoreRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task FiftyMegabyteUploadIsStreamedInSmallChunksWithoutBufferingIt()
    {
        var store = new ContentAddressedStore(new ContentAddressedStoreOptions { RootDirectory = _root.Path });
        var expectedHash = Convert.ToHexStringLower(await SHA256.HashDataAsync(new GeneratedStream(FiftyMegabytes)));
        var upload = new GeneratedStream(FiftyMegabytes);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var blob = await store.PutAsync(upload, maxBytes: 512L * 1024 * 1024);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(expectedHash, blob.Sha256);
        Assert.Equal(FiftyMegabytes, new FileInfo(store.GetPath(blob.Sha256)).Length);
        Assert.True(upload.LargestRead <= 1024 * 1024, $"largest read was {upload.LargestRead} bytes");
        Assert.True(upload.Reads > 50, $"only {upload.Reads} reads");
        Assert.True(allocated < 8L * 1024 * 1024, $"allocated {allocated:N0} bytes while storing 50 MB");
    }
}
