namespace Coherence.Kernel.Nvdimm;

/// <summary>
/// What the NVDIMM and CXL drivers need of the memregion facility: <c>cpu_cache_has_invalidate_memregion()</c> and
/// <c>cpu_cache_invalidate_memregion(start, len)</c> (<c>len == ulong.MaxValue</c> is <c>cpu_cache_invalidate_all()</c>).
/// The lead adapts it to the memregion implementation at merge.
/// </summary>
/// <remarks>
/// Contract (spec §1.1): drop the CPU-cached copies of the range; dirty lines may or may not be written back.
/// <see cref="Invalidate"/> returns 0 or a negative errno (-ENXIO where no invalidation is possible, for example in a VM).
/// </remarks>
public interface ICacheInvalidator
{
    /// <summary><c>cpu_cache_has_invalidate_memregion()</c>: false in every guest on x86.</summary>
    bool HasInvalidate { get; }

    /// <summary><c>cpu_cache_invalidate_memregion(start, len)</c>: 0 or a negative errno.</summary>
    int Invalidate(ulong start, ulong length);
}

/// <summary>Helpers for <see cref="ICacheInvalidator"/>.</summary>
public static class CacheInvalidator
{
    /// <summary>The length that means "every region" (<c>cpu_cache_invalidate_all()</c> passes <c>(0, -1)</c>).</summary>
    public const ulong All = ulong.MaxValue;

    /// <summary><c>cpu_cache_invalidate_all()</c>.</summary>
    public static int InvalidateAll(this ICacheInvalidator invalidator) => invalidator.Invalidate(0, All);
}
