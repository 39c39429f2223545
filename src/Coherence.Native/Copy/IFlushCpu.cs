namespace Coherence.Native.Copy;

/// <summary>
/// The CPU a flushcache copy runs on, as the few operations <see cref="FlushCacheAlgorithm"/> needs. Implement it
/// on a <see langword="struct"/> and pass that struct as the algorithm's type argument: the JIT then compiles one
/// specialised copy per back-end, with no virtual call per store or per line.
/// </summary>
/// <remarks>
/// <para>Addresses are integers in the back-end's own address space: virtual addresses of this process for the
/// real CPU, simulated addresses for a modelled CPU. The algorithm never dereferences them; it only does
/// arithmetic on them (alignment, line rounding), so a back-end may place its memory anywhere.</para>
/// <para>Invariants the algorithm guarantees to every back-end: each destination byte is stored exactly once; a
/// non-temporal store of width <c>w</c> is made only to an address aligned to <c>w</c>; widths never exceed
/// <see cref="NonTemporalWidth"/>; every line touched by a cached store is written back (after that store);
/// <see cref="Fence"/> is called only by <see cref="FlushCacheAlgorithm.Persist{TCpu}"/> and
/// <see cref="FlushCacheAlgorithm.Drain{TCpu}"/>, never inside a copy.</para>
/// </remarks>
public interface IFlushCpu
{
    /// <summary>The widest non-temporal store the algorithm may use: 8 (MOVNTI), 16 (SSE2), 32 (AVX) or 64 (AVX-512).</summary>
    int NonTemporalWidth { get; }

    /// <summary>The cache-line size in bytes (a power of two, at least 8).</summary>
    int LineSize { get; }

    /// <summary>Ordinary (write-back cached) stores of <paramref name="length"/> bytes (1 to a line less one) read from <paramref name="source"/>.</summary>
    void StoreCached(ulong destination, ulong source, int length);

    /// <summary>A 4-byte non-temporal store (32-bit MOVNTI); <paramref name="destination"/> is 4-aligned.</summary>
    void StoreNonTemporal4(ulong destination, ulong source);

    /// <summary>An 8-byte non-temporal store (64-bit MOVNTI); <paramref name="destination"/> is 8-aligned.</summary>
    void StoreNonTemporal8(ulong destination, ulong source);

    /// <summary>A 16-byte non-temporal store (MOVNTDQ xmm); <paramref name="destination"/> is 16-aligned.</summary>
    void StoreNonTemporal16(ulong destination, ulong source);

    /// <summary>A 32-byte non-temporal store (VMOVNTDQ ymm); <paramref name="destination"/> is 32-aligned.</summary>
    void StoreNonTemporal32(ulong destination, ulong source);

    /// <summary>A 64-byte non-temporal store (VMOVNTDQ zmm); <paramref name="destination"/> is 64-aligned.</summary>
    void StoreNonTemporal64(ulong destination, ulong source);

    /// <summary>
    /// Four non-temporal stores of <see cref="NonTemporalWidth"/> bytes each to consecutive addresses (the
    /// algorithm's unrolled body), the same as four calls of the matching <c>StoreNonTemporalN</c>;
    /// <paramref name="destination"/> is aligned to the width. A back-end may load all four sources before the
    /// first store: on x86 that keeps a load from waiting behind an earlier store whose address matches it in the
    /// low 12 bits (4K aliasing), which costs misaligned copies about a tenth of their speed.
    /// </summary>
    void StoreNonTemporalBlock(ulong destination, ulong source);

    /// <summary>Writes back the cache line that starts at <paramref name="lineAddress"/> (CLWB or its fallback). No fence.</summary>
    void WriteBackLine(ulong lineAddress);

    /// <summary>The store fence (SFENCE, the kernel's <c>pmem_wmb</c>).</summary>
    void Fence();
}
