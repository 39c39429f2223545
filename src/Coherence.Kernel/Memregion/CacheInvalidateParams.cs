namespace Coherence.Kernel.Memregion;

/// <summary><c>struct cc_inval_params</c>: the physical range handed to a provider's wbinv.</summary>
/// <param name="Address">Physical start (<c>addr</c>).</param>
/// <param name="Size">Length in bytes (<c>size</c>); <see cref="CpuCache.AllRegions"/> ((size_t)-1) means everything.</param>
public readonly record struct CacheInvalidateParams(ulong Address, ulong Size)
{
    /// <summary>True when the request covers every address ((size_t)-1).</summary>
    public bool IsAll => Size == CpuCache.AllRegions;

    /// <summary>The intersection of the request with [start, start+size), or an empty range (Size 0).</summary>
    public (ulong Start, ulong Size) Intersect(ulong start, ulong size)
    {
        if (IsAll)
        {
            return (start, size);
        }
        var end = Address + Size < Address ? ulong.MaxValue : Address + Size;
        var lo = Math.Max(Address, start);
        var hi = Math.Min(end, start + size);
        return hi > lo ? (lo, hi - lo) : (lo, 0);
    }
}
