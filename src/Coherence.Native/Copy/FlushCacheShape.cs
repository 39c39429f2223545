namespace Coherence.Native.Copy;

/// <summary>Where <see cref="FlushCacheAlgorithm"/> draws the line between cached edges and the non-temporal body.</summary>
public enum FlushCacheShape
{
    /// <summary>
    /// Exactly the kernel's <c>__memcpy_flushcache</c>: cached head up to 8-byte alignment, non-temporal body down
    /// to 4-byte granularity (a last 4-byte MOVNTI), cached tail of 1 to 3 bytes; each edge's line written back.
    /// A line may receive both cached and non-temporal stores.
    /// </summary>
    Kernel,

    /// <summary>
    /// The same algorithm with line-sized edges (libpmem's shape): every partially covered line is stored cached and
    /// written back, every whole line is stored non-temporally, so no line receives both kinds of store. On x86
    /// mixing them in one line forces the cached copy out before the non-temporal store can combine, which made the
    /// kernel shape 3-4 times slower for small misaligned copies on the benchmark machine (docs/performance.md).
    /// </summary>
    WholeLines,
}
