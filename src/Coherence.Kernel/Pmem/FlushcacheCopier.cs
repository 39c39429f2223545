using Coherence.Native.Copy;
using Coherence.Platform;
using Coherence.Platform.Isa.X86;

namespace Coherence.Kernel.Pmem;

/// <summary>
/// The kernel's flushcache copies (arch/x86/lib/usercopy_64.c, lib/iov_iter.c) on a modelled x86 CPU, instruction by
/// instruction, under one <see cref="FlushcacheVariant"/>. Destinations are virtual addresses of the CPU (the
/// kernel's direct map: identity-mapped pmem). None of the copies fences: the caller issues <c>pmem_wmb()</c>.
/// The arm64 variants run on an AArch64 CPU instead (<see cref="Arm64FlushcacheCopier"/>).
/// </summary>
public sealed class FlushcacheCopier : FlushcacheCopierBase
{
    private readonly X86Cpu cpu;

    /// <summary>Creates a copier for <paramref name="cpu"/>; the arm64 variants are refused (they run DC CVAP or DC
    /// CVAC on an AArch64 CPU: <see cref="Arm64FlushcacheCopier"/>).</summary>
    public FlushcacheCopier(X86Cpu cpu, FlushcacheVariant variant, string? tenant = null)
        : base(variant, tenant)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (variant.IsArm64())
        {
            throw new ArgumentException($"flushcache={(variant == FlushcacheVariant.Arm64Cvap ? "arm64-cvap" : "arm64-cvac")} runs DC CVAP or DC CVAC: it needs an AArch64 CPU (Arm64FlushcacheCopier)", nameof(variant));
        }
        this.cpu = cpu;
    }

    /// <summary>
    /// <c>memcpy_flushcache(dst, src, n)</c>. With <paramref name="constantSize"/> and n of 4, 8 or 16 it is the
    /// inline fast path: one 32-bit MOVNTI, one 64-bit MOVNTI or two, with no alignment check. Otherwise
    /// <c>__memcpy_flushcache</c>: the one algorithm (<see cref="FlushCacheAlgorithm"/>, kernel shape, MOVNTI width).
    /// </summary>
    public override void MemcpyFlushcache(ulong dst, ReadOnlySpan<byte> src, bool constantSize = false)
    {
        switch (Variant)
        {
            case FlushcacheVariant.X86:
                if (constantSize && src.Length is 4 or 8 or 16)
                {
                    for (var i = 0; i < src.Length; i += Math.Min(8, src.Length))
                    {
                        Note(cpu.StoreNonTemporal(dst + (ulong)i, src.Slice(i, Math.Min(8, src.Length)), Tenant));
                    }
                    return;
                }
                var back = new ModelFlushCpu(cpu, src.ToArray(), 8, Tenant);
                FlushCacheAlgorithm.Copy(ref back, dst, 0, (ulong)src.Length, FlushCacheShape.Kernel);
                Instructions += back.Instructions;
                Note(back.Outcome, counted: false);
                return;
            default:
                Memcpy(dst, src);
                return;
        }
    }

    /// <summary><c>clean_cache_range</c> / <c>arch_wb_cache_pmem</c>: CLWB on every line of the range; no fence.</summary>
    public override void CleanCacheRange(ulong address, ulong size)
    {
        if (size == 0)
        {
            return;
        }
        for (var a = address & ~(ulong)(Line - 1); a < address + size; a += Line)
        {
            Note(cpu.Clwb(a));
        }
    }

    /// <inheritdoc/>
    protected override AccessOutcome StoreCached(ulong address, ReadOnlySpan<byte> bytes) => cpu.Store(address, bytes, Tenant);

    /// <summary>
    /// <c>__copy_user_nocache(dst, usrc, size)</c>: cached stores up to 8-byte alignment, 8-byte MOVNTIs, a 4-byte
    /// MOVNTI for an aligned dword, cached stores for the rest; no write-back. Stops at the first unreadable byte of
    /// <paramref name="segment"/> and returns the bytes not copied.
    /// </summary>
    public ulong CopyUserNocache(ulong dst, IovSegment segment)
    {
        var src = segment.Data.AsSpan(0, segment.Readable);
        var n = src.Length;
        var i = 0;
        var head = Math.Min(n, (int)((8 - (dst & 7)) & 7));
        if (head > 0)
        {
            Note(cpu.Store(dst, src[..head], Tenant));
            i = head;
        }
        for (; n - i >= 8; i += 8)
        {
            Note(cpu.StoreNonTemporal(dst + (ulong)i, src.Slice(i, 8), Tenant));
        }
        if (n - i >= 4)
        {
            Note(cpu.StoreNonTemporal(dst + (ulong)i, src.Slice(i, 4), Tenant));
            i += 4;
        }
        if (n - i > 0)
        {
            Memcpy(dst + (ulong)i, src[i..]);
        }
        return (ulong)(segment.Data.Length - n);
    }

    /// <summary>
    /// <c>__copy_user_flushcache(dst, usrc, size)</c>: <see cref="CopyUserNocache"/>, then the repair of the cached
    /// parts (also after a fault): for size &lt; 8, a write-back of the range unless it is one aligned dword; otherwise
    /// the first line when dst is not 8-aligned and the line of the last byte when the rest is not 8-aligned.
    /// Returns the bytes not copied.
    /// </summary>
    public ulong CopyUserFlushcache(ulong dst, IovSegment segment)
    {
        var size = (ulong)segment.Data.Length;
        var rc = CopyUserNocache(dst, segment);
        if (size < 8)
        {
            if (!((dst & 3) == 0 && size == 4))
            {
                CleanCacheRange(dst, size);
            }
        }
        else
        {
            var dest = dst;
            if ((dst & 7) != 0)
            {
                dest = (dst + Line - 1) & ~(ulong)(Line - 1);
                CleanCacheRange(dst, 1);
            }
            if (size > dest - dst && ((size - (dest - dst)) & 7) != 0)
            {
                CleanCacheRange(dst + size - 1, 1);
            }
        }
        return rc;
    }

    /// <inheritdoc/>
    public override ulong CopyUserSegment(ulong dst, IovSegment segment) => Variant switch
    {
        FlushcacheVariant.X86 => CopyUserFlushcache(dst, segment),
        FlushcacheVariant.NocacheFallback => CopyUserNocache(dst, segment),
        _ => CopyUserPlain(dst, segment),
    };

    private ulong CopyUserPlain(ulong dst, IovSegment segment)
    {
        Memcpy(dst, segment.Data.AsSpan(0, segment.Readable));
        return (ulong)(segment.Data.Length - segment.Readable);
    }
}
