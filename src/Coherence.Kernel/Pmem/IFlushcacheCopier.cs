using Coherence.Platform;

namespace Coherence.Kernel.Pmem;

/// <summary>
/// The kernel's flushcache copies on one modelled CPU, whichever architecture: <see cref="FlushcacheCopier"/> runs
/// the x86 ones (and the fallbacks) on an x86 CPU, <see cref="Arm64FlushcacheCopier"/> the arm64 ones on an AArch64
/// CPU. Destinations are virtual addresses of the CPU (the kernel's direct map).
/// </summary>
public interface IFlushcacheCopier
{
    /// <summary>The variant in force.</summary>
    FlushcacheVariant Variant { get; }

    /// <summary>The first non-Ok outcome of any instruction, else Ok.</summary>
    AccessOutcome Outcome { get; }

    /// <summary>Instructions issued so far.</summary>
    int Instructions { get; }

    /// <summary>Warnings (WARN_ON) raised by the copies.</summary>
    List<string> Warnings { get; }

    /// <summary><c>memcpy_flushcache(dst, src, n)</c> (<paramref name="constantSize"/>: n is a compile-time constant).</summary>
    void MemcpyFlushcache(ulong dst, ReadOnlySpan<byte> src, bool constantSize = false);

    /// <summary><c>_copy_from_iter_flushcache(addr, bytes, i)</c>: returns the bytes copied
    /// (<see cref="FlushcacheCopiers.CopyFromIter"/>, the iterator walk every copier shares).</summary>
    ulong CopyFromIter(ulong dst, IovIter iter);

    /// <summary>The uaccess copy the variant runs for one user iovec segment; returns the bytes not copied.</summary>
    ulong CopyUserSegment(ulong dst, IovSegment segment);

    /// <summary>An ordinary memcpy: cached stores, a line at a time, nothing written back (also what user stores
    /// through a write-back mapping do).</summary>
    void Memcpy(ulong dst, ReadOnlySpan<byte> src);

    /// <summary><c>arch_wb_cache_pmem(addr, size)</c>: x86 CLWB per line, no fence; arm64 DMB OSH, then
    /// <c>dcache_clean_pop</c> (DC CVAP per line, or DC CVAC without DCPOP) and DSB SY.</summary>
    void CleanCacheRange(ulong address, ulong size);
}

/// <summary>Creates the copier a variant runs on.</summary>
public static class FlushcacheCopiers
{
    /// <summary>True for the variants that run on an AArch64 CPU (<c>arm64-cvap</c>, <c>arm64-cvac</c>).</summary>
    public static bool IsArm64(this FlushcacheVariant variant) => variant is FlushcacheVariant.Arm64Cvap or FlushcacheVariant.Arm64Cvac;

    /// <summary>True for the variants that need an x86 CPU (<c>x86</c>: MOVNTI and CLWB).</summary>
    public static bool IsX86(this FlushcacheVariant variant) => variant == FlushcacheVariant.X86;

    /// <summary>
    /// The walk of lib/iov_iter.c's <c>_copy_from_iter_flushcache</c>, the same on every architecture: user iovec
    /// segments through the copier's uaccess copy (stopping after a segment that faulted), kernel segments (kvec,
    /// bvec) through <c>memcpy_flushcache</c>; WARN and 0 on an iterator that is not a data source.
    /// </summary>
    public static ulong CopyFromIter(IFlushcacheCopier copier, ulong dst, IovIter iter)
    {
        ArgumentNullException.ThrowIfNull(copier);
        ArgumentNullException.ThrowIfNull(iter);
        if (!iter.DataSource)
        {
            copier.Warnings.Add("WARN_ON(!i->data_source): copy_from_iter on a destination iterator");
            return 0;
        }
        ulong copied = 0;
        foreach (var seg in iter.Segments)
        {
            var at = dst + copied;
            if (iter.Kind == IovIterKind.UserIovec)
            {
                var rc = copier.CopyUserSegment(at, seg);
                copied += (ulong)seg.Data.Length - rc;
                if (rc != 0)
                {
                    break;
                }
            }
            else
            {
                copier.MemcpyFlushcache(at, seg.Data);
                copied += (ulong)seg.Data.Length;
            }
        }
        return copied;
    }

    /// <summary>
    /// The copier for <paramref name="variant"/> on CPU <paramref name="cpu"/>: the arm64 variants on
    /// <see cref="Machine.Arm64"/>; <c>x86</c> on <see cref="Machine.X86"/>; the plain-copy fallbacks
    /// (<c>memcpy</c>, <c>nocache-fallback</c>) on the platform's own instruction set.
    /// </summary>
    public static IFlushcacheCopier For(Machine machine, int cpu, FlushcacheVariant variant, string? tenant = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var arm64 = variant.IsArm64() || (!variant.IsX86() && machine.Config.InstructionSet == InstructionSet.Arm64);
        return arm64 ? new Arm64FlushcacheCopier(machine.Arm64[cpu], variant, tenant) : new FlushcacheCopier(machine.X86[cpu], variant, tenant);
    }
}
