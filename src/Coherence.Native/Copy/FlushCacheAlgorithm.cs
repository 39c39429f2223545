namespace Coherence.Native.Copy;

/// <summary>
/// The one flushcache copy, written once and specialised per CPU back-end: the shape of the Linux kernel's
/// <c>__memcpy_flushcache</c> (arch/x86/lib/usercopy_64.c) with the widest non-temporal stores the back-end offers.
/// </summary>
/// <remarks>
/// <para>Shape, for a copy of <c>n</c> bytes to <c>d</c>, with edge alignment <c>E</c> = 8 for
/// <see cref="FlushCacheShape.Kernel"/> and the line size for <see cref="FlushCacheShape.WholeLines"/>:</para>
/// <list type="number">
/// <item>Head: if <c>d</c> is not E-aligned, ordinary stores of <c>min(n, ALIGN(d, E) - d)</c> bytes, then a
/// write-back of their line(s).</item>
/// <item>Body: non-temporal stores up to the body end (the end rounded down to 4 bytes for the kernel shape, to a
/// line for whole lines). Starting 8-aligned, climb with one 8-, 16- and 32-byte store as needed until the
/// destination is aligned to the widest width, run the widest store (unrolled by four), then step down through
/// 32, 16, 8 and 4. A narrower store is never used where a wider one would fit.</item>
/// <item>Tail: the bytes after the body by ordinary stores (1 to 3 for the kernel shape), then a write-back of
/// their line(s).</item>
/// </list>
/// <para>No fence inside: after <see cref="Copy{TCpu}"/> the destination is not dirty in the cache, but the
/// non-temporal stores and write-backs are ordered and complete only after <see cref="Drain{TCpu}"/>.
/// <see cref="Persist{TCpu}"/> is the copy followed by the drain. Overlapping ranges are not supported.</para>
/// </remarks>
public static class FlushCacheAlgorithm
{
    /// <summary>Copies <paramref name="length"/> bytes from <paramref name="source"/> to <paramref name="destination"/>, leaving no dirty line; no fence.</summary>
    public static void Copy<TCpu>(ref TCpu cpu, ulong destination, ulong source, ulong length, FlushCacheShape shape = FlushCacheShape.Kernel)
        where TCpu : struct, IFlushCpu =>
        Run<TCpu, AdvancingSource>(ref cpu, destination, source, length, shape);

    /// <summary>
    /// Fills <paramref name="length"/> bytes at <paramref name="destination"/> with the same shape as
    /// <see cref="Copy{TCpu}"/>. <paramref name="pattern"/> is the address of a 256-byte block holding the fill
    /// value in every byte (in the back-end's address space); every store reads from the block's start (a
    /// <see cref="IFlushCpu.StoreNonTemporalBlock"/> reads up to four widths, at most 256 bytes).
    /// </summary>
    public static void Fill<TCpu>(ref TCpu cpu, ulong destination, ulong pattern, ulong length, FlushCacheShape shape = FlushCacheShape.Kernel)
        where TCpu : struct, IFlushCpu =>
        Run<TCpu, FixedSource>(ref cpu, destination, pattern, length, shape);

    /// <summary>The fence that makes earlier flushcache copies complete (<c>pmem_wmb</c>).</summary>
    public static void Drain<TCpu>(ref TCpu cpu)
        where TCpu : struct, IFlushCpu =>
        cpu.Fence();

    /// <summary>A <see cref="Copy{TCpu}"/> followed by <see cref="Drain{TCpu}"/>.</summary>
    public static void Persist<TCpu>(ref TCpu cpu, ulong destination, ulong source, ulong length, FlushCacheShape shape = FlushCacheShape.Kernel)
        where TCpu : struct, IFlushCpu
    {
        Copy(ref cpu, destination, source, length, shape);
        cpu.Fence();
    }

    private static void Run<TCpu, TSource>(ref TCpu cpu, ulong dst, ulong src, ulong n, FlushCacheShape shape)
        where TCpu : struct, IFlushCpu
        where TSource : struct, ISourceStep
    {
        if (n == 0)
        {
            return;
        }

        // Edge alignment and body granularity: 8 and 4 for the kernel, a line for whole lines.
        var line = (ulong)cpu.LineSize;
        var edge = shape == FlushCacheShape.WholeLines ? line : 8;
        var grain = shape == FlushCacheShape.WholeLines ? line : 4;

        // 1. Head: cached stores up to edge alignment, then write the line(s) back.
        var head = (0 - dst) & (edge - 1);
        if (head != 0)
        {
            if (head > n)
            {
                head = n;
            }

            cpu.StoreCached(dst, src, (int)head);
            WriteBack(ref cpu, dst, head);
            dst += head;
            src += TSource.Advance(head);
            n -= head;
        }

        // 2. Body: non-temporal stores, widest first once aligned for them; the tail's bytes are set aside.
        var tail = n & (grain - 1);
        n -= tail;
        var width = cpu.NonTemporalWidth;
        if (n >= 8)
        {
            if (width >= 16 && (dst & 8) != 0)
            {
                cpu.StoreNonTemporal8(dst, src);
                dst += 8; src += TSource.Advance(8); n -= 8;
            }

            if (width >= 32 && (dst & 16) != 0 && n >= 16)
            {
                cpu.StoreNonTemporal16(dst, src);
                dst += 16; src += TSource.Advance(16); n -= 16;
            }

            if (width >= 64 && (dst & 32) != 0 && n >= 32)
            {
                cpu.StoreNonTemporal32(dst, src);
                dst += 32; src += TSource.Advance(32); n -= 32;
            }

            if (width >= 64)
            {
                while (n >= 256)
                {
                    cpu.StoreNonTemporalBlock(dst, src);
                    dst += 256; src += TSource.Advance(256); n -= 256;
                }

                while (n >= 64)
                {
                    cpu.StoreNonTemporal64(dst, src);
                    dst += 64; src += TSource.Advance(64); n -= 64;
                }

                if (n >= 32)
                {
                    cpu.StoreNonTemporal32(dst, src);
                    dst += 32; src += TSource.Advance(32); n -= 32;
                }
            }
            else if (width >= 32)
            {
                while (n >= 128)
                {
                    cpu.StoreNonTemporalBlock(dst, src);
                    dst += 128; src += TSource.Advance(128); n -= 128;
                }

                while (n >= 32)
                {
                    cpu.StoreNonTemporal32(dst, src);
                    dst += 32; src += TSource.Advance(32); n -= 32;
                }
            }
            else if (width >= 16)
            {
                while (n >= 64)
                {
                    cpu.StoreNonTemporalBlock(dst, src);
                    dst += 64; src += TSource.Advance(64); n -= 64;
                }
            }
            else
            {
                while (n >= 32)
                {
                    cpu.StoreNonTemporalBlock(dst, src);
                    dst += 32; src += TSource.Advance(32); n -= 32;
                }
            }

            if (width >= 16)
            {
                while (n >= 16)
                {
                    cpu.StoreNonTemporal16(dst, src);
                    dst += 16; src += TSource.Advance(16); n -= 16;
                }
            }

            while (n >= 8)
            {
                cpu.StoreNonTemporal8(dst, src);
                dst += 8; src += TSource.Advance(8); n -= 8;
            }
        }

        if (n >= 4)
        {
            cpu.StoreNonTemporal4(dst, src);
            dst += 4; src += TSource.Advance(4); n -= 4;
        }

        // 3. Tail: cached stores for the remaining bytes, then write the line(s) back.
        if (tail != 0)
        {
            cpu.StoreCached(dst, src, (int)tail);
            WriteBack(ref cpu, dst, tail);
        }
    }

    private static void WriteBack<TCpu>(ref TCpu cpu, ulong address, ulong length)
        where TCpu : struct, IFlushCpu
    {
        var mask = (ulong)cpu.LineSize - 1;
        var end = address + length;
        for (var line = address & ~mask; line < end; line += mask + 1)
        {
            cpu.WriteBackLine(line);
        }
    }

    /// <summary>How far the source moves per stored byte: one for a copy, zero for a fill.</summary>
    private interface ISourceStep
    {
        static abstract ulong Advance(ulong bytes);
    }

    private readonly struct AdvancingSource : ISourceStep
    {
        public static ulong Advance(ulong bytes) => bytes;
    }

    private readonly struct FixedSource : ISourceStep
    {
        public static ulong Advance(ulong bytes) => 0;
    }
}
