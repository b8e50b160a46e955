using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Portal.Web.Features.Serving;

/// <summary>
/// The hand-off between the predict endpoint and <see cref="PredictionLogWriter"/>: a bounded queue of logged requests. The
/// endpoint never waits on it: when the queue is full (the database is slower than the traffic) the request is answered
/// unlogged, counted in <see cref="Dropped"/> and warned about, rather than held up.
/// </summary>
public sealed class PredictionLog
{
    private readonly Channel<LoggedPredictRequest> channel;
    private readonly ILogger<PredictionLog> logger;
    private long dropped;

    public PredictionLog(IOptions<ServingOptions> options, ILogger<PredictionLog> logger)
    {
        this.logger = logger;
        Enabled = options.Value.LogPredictions;
        channel = Channel.CreateBounded<LoggedPredictRequest>(new BoundedChannelOptions(options.Value.LogQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public bool Enabled { get; }

    /// <summary>Requests answered but not logged because the queue was full, since this node started.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    internal ChannelReader<LoggedPredictRequest> Reader => channel.Reader;

    /// <summary>Queues the request for the writer, which then owns its pooled arrays; when it cannot be queued they are given back here.</summary>
    public void Add(LoggedPredictRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Enabled && channel.Writer.TryWrite(request))
        {
            return;
        }

        request.Dispose();
        if (!Enabled)
        {
            return;
        }

        var count = Interlocked.Increment(ref dropped);
        // One warning per power of two: a sustained overload is visible without a log line per request.
        if ((count & (count - 1)) == 0)
        {
            logger.LogWarning("The prediction log queue is full: {Dropped} predict requests answered without being logged so far.", count);
        }
    }

    internal void Complete() => channel.Writer.TryComplete();
}
