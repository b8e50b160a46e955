using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.ML;
using Portal.Ml.Catalog;

namespace Portal.Ml.Training;

/// <summary>
/// The fits that run in the background from the moment the featurized training set is defined, while the curve
/// matrices are read: the run's model (for tree ensembles the one fit; for SDCA the full-budget fit) and, for SDCA,
/// the curve's checkpoints at 1, 2, 4, ... epochs. Fits read the training set through a
/// <see cref="CancellableDataView"/>, so disposing stops any fit still running at its next row (a native LightGbm
/// fit only between its data passes).
/// </summary>
/// <remarks>
/// SDCA has no warm start, so a checkpoint is a from-scratch fit with that budget, in its own MLContext seeded with
/// the run's seed: exactly the model a plain fit with that budget gives. ML.NET's SDCA checks convergence after every
/// epoch and returns the epoch with the lowest training objective (logged as "Using best model from iteration k"), so
/// every budget of k epochs or more gives the full-budget model: those checkpoints are that model and are not fitted
/// again. A checkpoint of e epochs is fitted once the full fit has begun epoch e + 2 (SDCA opens a cursor for its
/// preprocessing, its invariants, and each epoch and convergence check) — it went on past e + 1, so the checkpoint is
/// probably needed and runs beside it (a run often stops one epoch after its best) — or once the full fit has ended
/// with a best epoch above e (or none logged). That is scheduling only: which points are fitted does not depend on it.
/// </remarks>
internal sealed partial class BackgroundFits : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _started = [];
    private readonly SemaphoreSlim _fullPasses = new(0);
    private int _bestEpoch;

    /// <summary>The fit of the run's model; null when the trainer family trains in the foreground (L-BFGS chunks).</summary>
    public Task<ITransformer>? Model { get; private set; }

    /// <summary>
    /// The SDCA checkpoints in increasing epochs as they are ready, each a fitted model or (Deduced) the full-budget
    /// model when the budget is at least its best epoch; empty for other families.
    /// </summary>
    public ChannelReader<(int Epochs, ITransformer Model, bool Deduced)> Checkpoints { get; private set; } = Completed();

    /// <summary>The full SDCA fit's best epoch as ML.NET logged it; null before it ends or when it logged none.</summary>
    public int? BestEpoch => Volatile.Read(ref _bestEpoch) is > 0 and var best ? best : null;

    /// <param name="startTreeFit">False when a tree ensemble is trained elsewhere (LightGbm's live loop).</param>
    public static BackgroundFits Start(
        MLContext ml, TrainingRequest request, TrainerDescriptor descriptor, IReadOnlyDictionary<string, double> hp, IDataView train, bool startTreeFit = true)
    {
        var fits = new BackgroundFits();
        switch (descriptor.Family)
        {
            case TrainerFamily.TreeEnsemble when startTreeFit:
                fits.StartTreeFit(ml, request, descriptor, hp, train);
                break;
            case TrainerFamily.EpochLinear:
                fits.StartSdca(request, descriptor, hp, train);
                break;
        }

        return fits;
    }

    /// <summary>Starts ML.NET's fit of a tree ensemble (<see cref="Model"/>).</summary>
    public void StartTreeFit(MLContext ml, TrainingRequest request, TrainerDescriptor descriptor, IReadOnlyDictionary<string, double> hp, IDataView train)
    {
        // The trainer is created here, so the shared context's components are made in the same order every run.
        var trainer = TrainerFactory.Create(ml, descriptor, hp, request.Seed);
        var data = new CancellableDataView(train, _stop.Token);
        Model = Task.Run(() => trainer.Fit(data), CancellationToken.None);
        _started.Add(Model);
    }

    public void Dispose()
    {
        // An early stop, a failure or a cancellation can leave fits running: they are stopped, and their results (or
        // errors) are unused.
        _stop.Cancel();
        foreach (var fit in _started)
        {
            _ = fit.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        _stop.Dispose();
        _fullPasses.Dispose();
    }

    private static ChannelReader<(int, ITransformer, bool)> Completed()
    {
        var channel = Channel.CreateUnbounded<(int, ITransformer, bool)>();
        channel.Writer.Complete();
        return channel.Reader;
    }

    [GeneratedRegex(@"Using best model from iteration (\d+)\.")]
    private static partial Regex BestIteration();

    private void StartSdca(TrainingRequest request, TrainerDescriptor descriptor, IReadOnlyDictionary<string, double> hp, IDataView train)
    {
        var stop = _stop.Token;
        var total = (int)hp["maximumNumberOfIterations"];
        ITransformer Fit(MLContext context, int epochs, IDataView data) => TrainerFactory.Create(context, descriptor, hp, request.Seed, epochs).Fit(data);

        var fullContext = new MLContext(request.Seed);
        fullContext.Log += (_, e) =>
        {
            if (BestIteration().Match(e.Message) is { Success: true } m)
            {
                Volatile.Write(ref _bestEpoch, int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        var fullData = new CancellableDataView(train, stop, () => _fullPasses.Release());
        var full = Task.Run(() => Fit(fullContext, total, fullData), CancellationToken.None);
        Model = full;

        var feed = Channel.CreateUnbounded<(int, ITransformer, bool)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Checkpoints = feed.Reader;
        var checkpointData = new CancellableDataView(train, stop);
        var chain = Task.Run(
            async () =>
            {
                var opened = 0;
                for (var epochs = 1; epochs < total; epochs *= 2)
                {
                    while (!full.IsCompleted && opened < 5 + (2 * epochs))
                    {
                        var pass = _fullPasses.WaitAsync(stop);
                        if (await Task.WhenAny(pass, full) == pass)
                        {
                            await pass;
                            opened++;
                        }
                    }

                    if (full.IsCompleted && !full.IsCompletedSuccessfully)
                    {
                        return;
                    }

                    if (full.IsCompletedSuccessfully && BestEpoch is { } best && epochs >= best)
                    {
                        feed.Writer.TryWrite((epochs, full.Result, true));
                        continue;
                    }

                    feed.Writer.TryWrite((epochs, Fit(new MLContext(request.Seed), epochs, checkpointData), false));
                }
            },
            CancellationToken.None);
        _ = chain.ContinueWith(t => feed.Writer.TryComplete(t.Exception?.InnerException), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        _started.Add(full);
        _started.Add(chain);
    }
}
