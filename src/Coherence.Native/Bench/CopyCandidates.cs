using System.Runtime.CompilerServices;
using Coherence.Native.Copy;

namespace Coherence.Native.Bench;

/// <summary>
/// One copy by each benchmark candidate, followed by that candidate's drain, on addresses as integers, so that
/// benchmark projects without unsafe code can call them. The caller keeps both ranges valid and non-overlapping.
/// </summary>
public static unsafe class CopyCandidates
{
    /// <summary><c>FlushCache.Copy</c> then <c>FlushCache.Drain</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Coherence(nint destination, nint source, nuint length)
    {
        FlushCache.Copy((void*)destination, (void*)source, length);
        FlushCache.Drain();
    }

    /// <summary><c>pmem_memcpy(…, PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN)</c> then <c>pmem_drain</c>; needs <see cref="LibPmem.IsAvailable"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LibpmemNt(nint destination, nint source, nuint length)
    {
        _ = LibPmem.Memcpy((void*)destination, (void*)source, length, LibPmem.NonTemporal | LibPmem.NoDrain);
        LibPmem.Drain();
    }

    /// <summary><c>pmem_memcpy_persist</c>; needs <see cref="LibPmem.IsAvailable"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LibpmemPersist(nint destination, nint source, nuint length) =>
        _ = LibPmem.MemcpyPersist((void*)destination, (void*)source, length);

    /// <summary><c>Buffer.MemoryCopy</c>: leaves the destination dirty in the cache.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Memcpy(nint destination, nint source, nuint length) =>
        Buffer.MemoryCopy((void*)source, (void*)destination, (long)length, (long)length);
}
