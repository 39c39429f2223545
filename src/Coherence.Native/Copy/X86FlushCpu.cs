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
    public void StoreNonTemporalBlock(ulong destination, ulong source)
    {
        byte* d = (byte*)destination, s = (byte*)source;
        if (TRung.Width == 64)
        {
            var a = Avx512F.LoadVector512(s);
            var b = Avx512F.LoadVector512(s + 64);
            var c = Avx512F.LoadVector512(s + 128);
            var e = Avx512F.LoadVector512(s + 192);
            Avx512F.StoreAlignedNonTemporal(d, a);
            Avx512F.StoreAlignedNonTemporal(d + 64, b);
            Avx512F.StoreAlignedNonTemporal(d + 128, c);
            Avx512F.StoreAlignedNonTemporal(d + 192, e);
        }
        else if (TRung.Width == 32)
        {
            var a = Avx.LoadVector256(s);
            var b = Avx.LoadVector256(s + 32);
            var c = Avx.LoadVector256(s + 64);
            var e = Avx.LoadVector256(s + 96);
            Avx.StoreAlignedNonTemporal(d, a);
            Avx.StoreAlignedNonTemporal(d + 32, b);
            Avx.StoreAlignedNonTemporal(d + 64, c);
            Avx.StoreAlignedNonTemporal(d + 96, e);
        }
        else if (TRung.Width == 16)
        {
            var a = Sse2.LoadVector128(s);
            var b = Sse2.LoadVector128(s + 16);
            var c = Sse2.LoadVector128(s + 32);
            var e = Sse2.LoadVector128(s + 48);
            Sse2.StoreAlignedNonTemporal(d, a);
            Sse2.StoreAlignedNonTemporal(d + 16, b);
            Sse2.StoreAlignedNonTemporal(d + 32, c);
            Sse2.StoreAlignedNonTemporal(d + 48, e);
        }
        else
        {
            var a = Unsafe.ReadUnaligned<ulong>(s);
            var b = Unsafe.ReadUnaligned<ulong>(s + 8);
            var c = Unsafe.ReadUnaligned<ulong>(s + 16);
            var e = Unsafe.ReadUnaligned<ulong>(s + 24);
            Sse2.X64.StoreNonTemporal((ulong*)d, a);
            Sse2.X64.StoreNonTemporal((ulong*)(d + 8), b);
            Sse2.X64.StoreNonTemporal((ulong*)(d + 16), c);
            Sse2.X64.StoreNonTemporal((ulong*)(d + 24), e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteBackLine(ulong lineAddress) => CacheLine.WriteBackLoop((nuint)lineAddress, (nuint)lineAddress + 1, 64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Fence() => Sse.StoreFence();
}
