using System.Diagnostics;
using Coherence.Native.Copy;
using Coherence.Native.Memory;

namespace Coherence.Native.Bench;

/// <summary>
/// Measures the flushcache copy against libpmem and plain memcpy side by side in one process: for each size and
/// alignment every candidate is timed in each of several interleaved runs (the candidate order rotates between
/// runs), and the median GB/s of each candidate is reported.
/// </summary>
public static unsafe class CopyBench
{
    /// <summary>Runs the benchmark; <paramref name="progress"/> (optional) hears about each row as it starts.</summary>
    /// <exception cref="PlatformNotSupportedException">The native copy is not supported here.</exception>
    public static CopyBenchReport Run(CopyBenchOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!FlushCache.IsSupported)
        {
            throw new PlatformNotSupportedException("the native flushcache copy is not supported on this machine");
        }

        var candidates = new List<CopyCandidate> { CopyCandidate.Coherence };
        if (LibPmem.IsAvailable)
        {
            candidates.Add(CopyCandidate.LibpmemNt);
            candidates.Add(CopyCandidate.LibpmemPersist);
        }

        candidates.Add(CopyCandidate.Memcpy);
        var max = options.Sizes.Max();
        using var source = new AlignedBuffer(max + 64);
        using var destination = new AlignedBuffer(max + 64);
        new Random(20170529).NextBytes(source.Span[..(int)Math.Min(source.Length, 1 << 20)]);

        WarmUp(candidates, destination.Pointer, source.Pointer);
        var rows = new List<CopyBenchRow>();
        foreach (var size in options.Sizes)
        {
            foreach (var misaligned in new[] { false, true })
            {
                progress?.Invoke($"{size} bytes, {(misaligned ? "misaligned" : "aligned")}");
                var dst = destination.Pointer + (misaligned ? options.MisalignBy : 0);
                var src = source.Pointer;
                var iterations = Calibrate(dst, src, size, options.SampleSeconds);
                var samples = candidates.ToDictionary(c => c, _ => new List<double>(options.Runs));
                foreach (var c in candidates)
                {
                    _ = Time(c, dst, src, size, Math.Max(1, iterations / 4)); // warm-up, discarded
                }

                for (var run = 0; run < options.Runs; run++)
                {
                    for (var k = 0; k < candidates.Count; k++)
                    {
                        var c = candidates[(k + run) % candidates.Count];
                        // One untimed copy first, so that the timed ones start from this candidate's own steady state
                        // and not from the cache state the previous candidate left (memcpy leaves the destination
                        // dirty in the cache, which the next copy would otherwise pay to write back).
                        _ = Time(c, dst, src, size, 1);
                        var seconds = Time(c, dst, src, size, iterations);
                        samples[c].Add(size * (double)iterations / seconds / 1e9);
                    }
                }

                double? Median(CopyCandidate c) => samples.TryGetValue(c, out var s) ? Statistics.Median(s) : null;
                double? paired = samples.TryGetValue(CopyCandidate.LibpmemNt, out var nt)
                    ? Statistics.Median(samples[CopyCandidate.Coherence].Select((g, run) => g / nt[run]).ToList())
                    : null;
                rows.Add(new CopyBenchRow(size, misaligned, Median(CopyCandidate.Coherence)!.Value, Median(CopyCandidate.LibpmemNt),
                    Median(CopyCandidate.LibpmemPersist), Median(CopyCandidate.Memcpy)!.Value, paired));
            }
        }

        return new CopyBenchReport(MachineDescription.Current(), options, rows);
    }

    /// <summary>
    /// Runs every candidate at a few sizes and alignments until the JIT has compiled the copy and the timing loops
    /// with full optimisation (tiered compilation promotes hot methods in the background after a short delay), so
    /// that no measured run executes unoptimised code.
    /// </summary>
    private static void WarmUp(List<CopyCandidate> candidates, byte* dst, byte* src)
    {
        for (var round = 0; round < 3; round++)
        {
            var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5;
            while (Stopwatch.GetTimestamp() < until)
            {
                foreach (var c in candidates)
                {
                    foreach (var (size, offset) in new[] { (64L, 0), (64L, 5), (4096L, 0), (4096L, 5), (300L, 3) })
                    {
                        _ = Time(c, dst + offset, src, size, 64);
                    }
                }
            }

            Thread.Sleep(200);
        }
    }

    /// <summary>How many copies of <paramref name="size"/> bytes take about <paramref name="seconds"/>, at least one.</summary>
    private static long Calibrate(byte* dst, byte* src, long size, double seconds)
    {
        long iterations = 1;
        while (true)
        {
            var t = Time(CopyCandidate.Coherence, dst, src, size, iterations);
            if (t >= seconds / 4 || iterations >= 1L << 30)
            {
                return Math.Max(1, (long)(iterations * seconds / Math.Max(t, 1e-9)));
            }

            iterations *= 4;
        }
    }

    /// <summary>Seconds for <paramref name="iterations"/> copies by one candidate, each followed by its drain.</summary>
    internal static double Time(CopyCandidate candidate, byte* dst, byte* src, long size, long iterations)
    {
        var n = (nuint)size;
        var start = Stopwatch.GetTimestamp();
        switch (candidate)
        {
            case CopyCandidate.Coherence:
                for (var i = 0L; i < iterations; i++)
                {
                    CopyCandidates.Coherence((nint)dst, (nint)src, n);
                }

                break;
            case CopyCandidate.LibpmemNt:
                for (var i = 0L; i < iterations; i++)
                {
                    CopyCandidates.LibpmemNt((nint)dst, (nint)src, n);
                }

                break;
            case CopyCandidate.LibpmemPersist:
                for (var i = 0L; i < iterations; i++)
                {
                    CopyCandidates.LibpmemPersist((nint)dst, (nint)src, n);
                }

                break;
            case CopyCandidate.Memcpy:
                for (var i = 0L; i < iterations; i++)
                {
                    CopyCandidates.Memcpy((nint)dst, (nint)src, n);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(candidate), candidate, "unknown copy candidate");
        }

        return Math.Max(Stopwatch.GetTimestamp() - start, 1) / (double)Stopwatch.Frequency;
    }
}
