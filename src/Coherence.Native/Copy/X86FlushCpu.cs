using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Coherence.Native.CacheLines;

namespace Coherence.Native.Copy;

/// <summary>
/// The real x86-64 CPU as an <see cref="IFlushCpu"/>: addresses are this process's virtual addresses. Every member
/// is one instruction (or a short cached copy) and is inlined into the specialised algorithm; the rung's width is
/// a constant to the JIT, so the branches for wider stores disappear.
/// </summary>
internal readonly unsafe struct X86FlushCpu<TRung> : IFlushCpu
    where TRung : struct, IRung
{
    public int NonTemporalWidth
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TRung.Width;
    }

    public int LineSize
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => CacheLine.Size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreCached(ulong destination, ulong source, int length) =>
        Unsafe.CopyBlockUnaligned((void*)destination, (void*)source, (uint)length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNonTemporal4(ulong destination, ulong source) =>
        Sse2.StoreNonTemporal((uint*)destination, Unsafe.ReadUnaligned<uint>((void*)source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNonTemporal8(ulong destination, ulong source) =>
        Sse2.X64.StoreNonTemporal((ulong*)destination, Unsafe.ReadUnaligned<ulong>((void*)source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNonTemporal16(ulong destination, ulong source) =>
        Sse2.StoreAlignedNonTemporal((byte*)destination, Sse2.LoadVector128((byte*)source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNonTemporal32(ulong destination, ulong source) =>
        Avx.StoreAlignedNonTemporal((byte*)destination, Avx.LoadVector256((byte*)source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreNonTemporal64(ulong destination, ulong source) =>
        Avx512F.StoreAlignedNonTemporal((byte*)destination, Avx512F.LoadVector512((byte*)source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBackLine(ulong lineAddress) => CacheLine.WriteBackLoop((nuint)lineAddress, (nuint)lineAddress + 1, 64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Fence() => Sse.StoreFence();
}
