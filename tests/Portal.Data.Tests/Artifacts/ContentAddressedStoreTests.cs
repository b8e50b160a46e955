using System.Security.Cryptography;
using System.Text;
using Portal.Data.Artifacts;

namespace Portal.Data.Tests.Artifacts;

public sealed class ContentAddressedStoreTests : IDisposable
{
    private const long Limit = 1024 * 1024;

    private readonly TempStoreRoot _root = new();
    private readonly ContentAddressedStore _store;

    public ContentAddressedStoreTests()
    {
        _store = new ContentAddressedStore(new ContentAddressedStoreOptions { RootDirectory = _root.Path });
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task ContentIsStoredUnderItsSha256()
    {
        var blob = await _store.PutAsync(Text("a,b\n1,2\n"), Limit);

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("a,b\n1,2\n")));
        Assert.Equal(expected, blob.Sha256);
        Assert.Equal(8, blob.Size);
        Assert.Equal($"sha256/{expected[..2]}/{expected}", blob.RelativePath);
        Assert.False(blob.AlreadyExisted);
        Assert.Equal("a,b\n1,2\n", await File.ReadAllTextAsync(Path.Combine(_root.Path, blob.RelativePath)));
    }

    [Fact]
    public async Task IdenticalContentGetsTheSameHashAndIsStoredOnce()
    {
        var first = await _store.PutAsync(Text("x,y\n3,4\n"), Limit);

        var second = await _store.PutAsync(Text("x,y\n3,4\n"), Limit);

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.True(second.AlreadyExisted);
        Assert.Single(_root.AllFiles());
    }

    [Fact]
    public async Task ConcurrentUploadsOfTheSameContentBothSucceedAndStoreOneFile()
    {
        var uploads = Enumerable.Range(0, 8).Select(_ => _store.PutAsync(new GeneratedStream(length: 200_000, seed: 3), Limit));

        var blobs = await Task.WhenAll(uploads);

        Assert.Single(blobs.Select(b => b.Sha256).Distinct());
        Assert.Single(_root.AllFiles());
    }

    [Fact]
    public async Task DifferentContentGetsADifferentHash()
    {
        var first = await _store.PutAsync(Text("x\n1\n"), Limit);

        var second = await _store.PutAsync(Text("x\n2\n"), Limit);

        Assert.NotEqual(first.Sha256, second.Sha256);
        Assert.Equal(2, _root.AllFiles().Length);
    }

    [Fact]
    public async Task ContentOverTheLimitIsRejectedAndLeavesNoFile()
    {
        var content = new GeneratedStream(length: 10_001);

        var error = await Assert.ThrowsAsync<BlobRejectedException>(() => _store.PutAsync(content, maxBytes: 10_000));

        Assert.Equal(BlobRejectionReason.TooLarge, error.Reason);
        Assert.Contains("larger than the maximum", error.Message);
        Assert.Empty(_root.AllFiles());
    }

    [Fact]
    public async Task ContentExactlyAtTheLimitIsAccepted()
    {
        var blob = await _store.PutAsync(new GeneratedStream(length: 10_000), maxBytes: 10_000);

        Assert.Equal(10_000, blob.Size);
    }

    [Fact]
    public async Task ConfiguredLimitAppliesWhenNoneIsGiven()
    {
        var store = new ContentAddressedStore(new ContentAddressedStoreOptions { RootDirectory = _root.Path, MaxUploadBytes = 100 });

        var error = await Assert.ThrowsAsync<BlobRejectedException>(() => store.PutAsync(new GeneratedStream(length: 101)));

        Assert.Equal(BlobRejectionReason.TooLarge, error.Reason);
        Assert.Contains("100 bytes", error.Message);
    }

    [Fact]
    public void DefaultLimitIs512Megabytes()
    {
        Assert.Equal(512L * 1024 * 1024, new ContentAddressedStoreOptions().MaxUploadBytes);
    }

    [Fact]
    public async Task EmptyContentIsRejectedAndLeavesNoFile()
    {
        var error = await Assert.ThrowsAsync<BlobRejectedException>(() => _store.PutAsync(new MemoryStream(), Limit));

        Assert.Equal(BlobRejectionReason.Empty, error.Reason);
        Assert.Empty(_root.AllFiles());
    }

    [Fact]
    public async Task CancelledUploadLeavesNoFile()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.PutAsync(Text("a\n1\n"), Limit, cancellation.Token));

        Assert.Empty(_root.AllFiles());
    }

    [Fact]
    public async Task StagedContentCanBeReadBeforeItIsCommitted()
    {
        using var staged = await _store.StageAsync(Text("a\n1\n"), Limit);

        using (var reader = new StreamReader(staged.OpenRead()))
        {
            Assert.Equal("a\n1\n", await reader.ReadToEndAsync());
        }

        Assert.False(_store.Exists(staged.Sha256));
        var blob = staged.Commit();
        Assert.True(_store.Exists(blob.Sha256));
        Assert.Single(_root.AllFiles());
    }

    [Fact]
    public async Task StagedContentDisposedWithoutCommitLeavesNothing()
    {
        var staged = await _store.StageAsync(Text("bad,csv\n\"\n"), Limit);

        staged.Dispose();

        Assert.False(_store.Exists(staged.Sha256));
        Assert.Empty(_root.AllFiles());
    }

    [Fact]
    public async Task StoredBlobCanBeReadBackByHash()
    {
        var blob = await _store.PutAsync(Text("id\n42\n"), Limit);

        await using var stream = _store.OpenRead(blob.Sha256);
        using var reader = new StreamReader(stream);

        Assert.Equal("id\n42\n", await reader.ReadToEndAsync());
        Assert.True(_store.Exists(blob.Sha256));
    }

    [Fact]
    public void ReadingAnUnknownHashThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => _store.OpenRead(new string('a', 64)));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("/etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("../../../../../../../../../../../../../../../../../../../../../tmp")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/")]
    public void HashesThatAreNot64LowercaseHexDigitsAreRejected(string sha256)
    {
        Assert.Throws<ArgumentException>(() => _store.GetPath(sha256));
        Assert.Throws<ArgumentException>(() => _store.OpenRead(sha256));
    }

    [Fact]
    public void ValidHashMapsInsideTheRoot()
    {
        var hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        var path = _store.GetPath(hash);

        Assert.Equal(Path.Combine(Path.GetFullPath(_root.Path), "sha256", "01", hash), path);
    }

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));
}
