namespace Coherence.Native.Bench;

/// <summary>One size and alignment: the median GB/s (10^9 bytes per second) of each candidate; null where it could not run.</summary>
public sealed record CopyBenchRow(long Size, bool Misaligned, double Coherence, double? LibpmemNt, double? LibpmemPersist, double Memcpy)
{
    /// <summary>Coherence divided by libpmem's non-temporal copy (above 1: Coherence is faster); null without libpmem.</summary>
    public double? RatioToLibpmem => LibpmemNt is double l && l > 0 ? Coherence / l : null;

    /// <summary>Coherence divided by plain memcpy.</summary>
    public double RatioToMemcpy => Memcpy > 0 ? Coherence / Memcpy : 0;
}
