namespace Coherence.Native.Bench;

/// <summary>One size and alignment: the median GB/s (10^9 bytes per second) of each candidate; null where it could not run.</summary>
/// <param name="Size">Bytes per copy.</param>
/// <param name="Misaligned">True when the destination was offset from a line boundary.</param>
/// <param name="Coherence">GB/s of <c>FlushCache.Copy</c> + drain.</param>
/// <param name="LibpmemNt">GB/s of libpmem's non-temporal, no-drain copy + <c>pmem_drain</c>.</param>
/// <param name="LibpmemPersist">GB/s of <c>pmem_memcpy_persist</c>.</param>
/// <param name="Memcpy">GB/s of plain memcpy (the destination left dirty).</param>
/// <param name="PairedRatio">The median over the interleaved runs of Coherence's GB/s divided by libpmem's non-temporal
/// copy's in the same run (the two measured back to back, so that a slow stretch of a shared machine weighs on both);
/// null when the row was built from medians alone.</param>
public sealed record CopyBenchRow(long Size, bool Misaligned, double Coherence, double? LibpmemNt, double? LibpmemPersist, double Memcpy,
    double? PairedRatio = null)
{
    /// <summary>Coherence against libpmem's non-temporal copy (above 1: Coherence is faster): the median of the
    /// per-run ratios where they were recorded, else the ratio of the medians; null without libpmem.</summary>
    public double? RatioToLibpmem => LibpmemNt is double l && l > 0 ? PairedRatio ?? Coherence / l : null;

    /// <summary>Coherence divided by plain memcpy.</summary>
    public double RatioToMemcpy => Memcpy > 0 ? Coherence / Memcpy : 0;
}
