namespace Coherence.Native.Bench;

/// <summary>What the copy benchmark measures and for how long.</summary>
/// <param name="Sizes">Copy sizes in bytes.</param>
/// <param name="MisalignBy">The destination offset from a 64-byte boundary in the misaligned rows.</param>
/// <param name="Runs">Interleaved runs per candidate; the median is reported.</param>
/// <param name="SampleSeconds">The target duration of one timed run (repeated copies of one size).</param>
public sealed record CopyBenchOptions(IReadOnlyList<long> Sizes, int MisalignBy, int Runs, double SampleSeconds)
{
    /// <summary>The sizes: 64 B, 256 B, 4 KiB, 64 KiB, 1 MiB, 64 MiB.</summary>
    public static IReadOnlyList<long> StandardSizes { get; } = [64, 256, 4 << 10, 64 << 10, 1 << 20, 64 << 20];

    /// <summary>The full run: 9 interleaved runs of about 20 ms each (under a minute).</summary>
    public static CopyBenchOptions Full { get; } = new(StandardSizes, 5, 21, 0.020);

    /// <summary>A quick run: 3 interleaved runs of about 3 ms each (a few seconds).</summary>
    public static CopyBenchOptions Quick { get; } = new(StandardSizes, 5, 3, 0.003);
}
