using System.Runtime.ExceptionServices;
using Coherence.Platform.TraceSim;

namespace Coherence.Text.Traces;

/// <summary>
/// Replays a trace with parsing on a second thread: the parser fills a small ring of reused record batches while the
/// calling thread simulates them, so memory stays constant whatever the trace's length. Each side blocks (no spinning)
/// when the ring is full or empty; they meet once per batch.
/// </summary>
public static class TracePipeline
{
    /// <summary>Records per batch: 256 KiB, large enough that the two threads meet rarely, small enough to stay in the
    /// host's L2 next to the simulated caches.</summary>
    public const int DefaultBatchSize = 16384;

    /// <summary>
    /// Feeds every record of <paramref name="reader"/> to <paramref name="simulator"/>, parsing ahead on a second
    /// thread when <paramref name="parallel"/>. Stops early when the simulator asks to (<c>-maxcount</c>). An exception
    /// of the reader (a malformed record, bad gzip data) is rethrown here after the records before it were simulated.
    /// </summary>
    public static void Run(TraceReader reader, TraceSimulator simulator, bool parallel, int batchSize = DefaultBatchSize, int buffers = 4)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffers, 2);
        if (!parallel)
        {
            var batch = new TraceRecord[batchSize];
            int n;
            while ((n = reader.Read(batch)) > 0 && simulator.Process(batch.AsSpan(0, n)))
            {
            }
            return;
        }
        new Ring(reader, batchSize, buffers).Run(simulator);
    }

    /// <summary>The ring of batches and the state both threads share, guarded by one lock.</summary>
    private sealed class Ring(TraceReader reader, int batchSize, int buffers)
    {
        private readonly object gate = new();
        private readonly TraceRecord[][] batches = CreateBatches(buffers, batchSize);
        private readonly int[] counts = new int[buffers];
        private long produced;
        private long consumed;
        private bool done;
        private bool stopped;
        private ExceptionDispatchInfo? error;

        private static TraceRecord[][] CreateBatches(int buffers, int batchSize)
        {
            var batches = new TraceRecord[buffers][];
            for (var i = 0; i < buffers; i++)
            {
                batches[i] = new TraceRecord[batchSize];
            }
            return batches;
        }

        public void Run(TraceSimulator simulator)
        {
            var parser = new Thread(Parse) { IsBackground = true, Name = "trace parser" };
            parser.Start();
            try
            {
                for (long i = 0; ; i++)
                {
                    lock (gate)
                    {
                        while (i >= produced && !done)
                        {
                            Monitor.Wait(gate);
                        }
                        if (i >= produced)
                        {
                            error?.Throw();
                            return;
                        }
                    }
                    var k = (int)(i % batches.Length);
                    var n = counts[k];
                    if (n == 0 || !simulator.Process(batches[k].AsSpan(0, n)))
                    {
                        return;
                    }
                    lock (gate)
                    {
                        consumed = i + 1;
                        Monitor.Pulse(gate);
                    }
                }
            }
            finally
            {
                lock (gate)
                {
                    stopped = true;
                    Monitor.PulseAll(gate);
                }
                parser.Join();
            }
        }

        private void Parse()
        {
            try
            {
                for (long i = 0; ; i++)
                {
                    lock (gate)
                    {
                        while (i - consumed >= batches.Length && !stopped)
                        {
                            Monitor.Wait(gate);
                        }
                        if (stopped)
                        {
                            return;
                        }
                    }
                    var k = (int)(i % batches.Length);
                    var n = reader.Read(batches[k]);
                    lock (gate)
                    {
                        counts[k] = n;
                        produced = i + 1;
                        done = n == 0;
                        Monitor.Pulse(gate);
                    }
                    if (n == 0)
                    {
                        return;
                    }
                }
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    error = ExceptionDispatchInfo.Capture(e);
                    done = true;
                    Monitor.Pulse(gate);
                }
            }
        }
    }
}
