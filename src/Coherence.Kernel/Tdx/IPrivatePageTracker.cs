namespace Coherence.Kernel.Tdx;

/// <summary>
/// Which host pages (page frame numbers) are TDX-private: what <c>tdx_reset_memory()</c> would need to reset on
/// kexec on a platform with the partial-write erratum (seed 002, issue 8 part 5). Three ways to know it, as the
/// seed lists them: a bitmap over all RAM pages, a sparse per-GFN map like KVM's memory-attribute xarray, and a
/// flag in a struct-page-like array. Every implementation gives the same answers; they differ in memory and time.
/// </summary>
public interface IPrivatePageTracker
{
    /// <summary>A short name for tables ("bitmap", "xarray", "page flag").</summary>
    string Name { get; }

    /// <summary>Pages of the host (valid PFNs are 0 to PageCount-1).</summary>
    ulong PageCount { get; }

    /// <summary>Pages marked private now.</summary>
    long PrivateCount { get; }

    /// <summary>Bytes the structure occupies now in the model (arrays and nodes it allocated).</summary>
    long MemoryBytes { get; }

    /// <summary>Marks <paramref name="pfn"/> private; returns false if it already was.</summary>
    bool Mark(ulong pfn);

    /// <summary>Marks <paramref name="pfn"/> shared again; returns false if it was not private.</summary>
    bool Clear(ulong pfn);

    /// <summary>True when <paramref name="pfn"/> is private.</summary>
    bool IsPrivate(ulong pfn);

    /// <summary>Every private PFN in ascending order (the tracker must not change while enumerating).</summary>
    IEnumerable<ulong> EnumeratePrivate();

    /// <summary>
    /// Resets every private page: calls <paramref name="reset"/> (for example a MOVDIR64B loop over the page) on
    /// each private PFN in ascending order, then forgets them all. Returns the number of pages reset.
    /// </summary>
    long ResetAll(Action<ulong>? reset = null);
}
