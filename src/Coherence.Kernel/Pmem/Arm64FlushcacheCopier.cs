using Coherence.Platform;
using Coherence.Platform.Isa.Arm64;

namespace Coherence.Kernel.Pmem;

/// <summary>
/// The arm64 flushcache copies (arch/arm64/lib/uaccess_flushcache.c, mm/cache.S; spec §5.5) on a modelled AArch64
/// CPU, instruction by instruction:
/// <list type="bullet">
/// <item><c>memcpy_flushcache</c>: a plain memcpy (cached stores: the destination is assumed write-back), then
/// <c>dcache_clean_pop(dst, dst + n)</c>.</item>
/// <item><c>__copy_user_flushcache</c>: <c>raw_copy_from_user</c>, then <c>dcache_clean_pop</c> of the copied prefix
/// only; returns the bytes not copied.</item>
/// <item><c>dcache_clean_pop</c>: DC CVAP on each line, patched to DC CVAC when the CPU lacks ARM64_HAS_DCPOP
/// (variant <c>arm64-cvac</c> stands for such a kernel/CPU whatever the platform says), then DSB SY.</item>
/// <item><c>arch_wb_cache_pmem</c>: DMB OSH, then <c>dcache_clean_pop</c>; <c>arch_invalidate_pmem</c> is
/// <c>dcache_inval_poc</c>, modelled as DC CIVAC per line and DSB SY.</item>
/// </list>
/// Variants <c>memcpy</c> and <c>nocache-fallback</c> (a kernel without ARM64_PMEM, where
/// <c>_copy_from_iter_flushcache</c> falls back to the nocache copy, a plain copy on arm64) copy and clean nothing.
/// The memcpy is a run of 8-byte stores per destination line (<see cref="Arm64Cpu.StoreSequence"/>); the kernel's
/// memcpy uses 16-byte pairs and may order its stores differently, which changes no line's final contents.
/// </summary>
public sealed class Arm64FlushcacheCopier : FlushcacheCopierBase
{
    private readonly Arm64Cpu cpu;

    /// <summary>Creates a copier for <paramref name="cpu"/>; <see cref="FlushcacheVariant.X86"/> is refused.</summary>
    public Arm64FlushcacheCopier(Arm64Cpu cpu, FlushcacheVariant variant, string? tenant = null)
        : base(variant, tenant)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (variant.IsX86())
        {
            throw new ArgumentException("flushcache=x86 runs MOVNTI and CLWB: it needs an x86 CPU", nameof(variant));
        }
        this.cpu = cpu;
    }

    /// <summary>True when the kernel has the flushcache capability (ARM64_PMEM: <c>arm64-cvap</c>, <c>arm64-cvac</c>).</summary>
    public bool HasFlushcache => Variant.IsArm64();

    /// <summary>
    /// The instruction <c>dcache_clean_pop</c> runs after alternative patching: DC CVAP when the variant is
    /// <c>arm64-cvap</c> and the CPU has FEAT_DCPoP, DC CVAC otherwise.
    /// </summary>
    public Arm64Instruction CleanInstruction =>
        Variant == FlushcacheVariant.Arm64Cvap && (cpu.Features & Arm64Features.DcPop) != 0 ? Arm64Instruction.DcCvap : Arm64Instruction.DcCvac;

    /// <summary><c>memcpy_flushcache</c>: memcpy, then (with the capability) <c>dcache_clean_pop</c> of the range.
    /// arm64 has no constant-size fast path: <paramref name="constantSize"/> changes nothing.</summary>
    public override void MemcpyFlushcache(ulong dst, ReadOnlySpan<byte> src, bool constantSize = false)
    {
        Memcpy(dst, src);
        if (HasFlushcache)
        {
            DcacheCleanPop(dst, (ulong)src.Length);
        }
    }

    /// <summary>The memcpy's stores within one line: a run of 8-byte (and smaller) stores.</summary>
    protected override AccessOutcome StoreCached(ulong address, ReadOnlySpan<byte> bytes) => cpu.StoreSequence(address, bytes, Tenant);

    /// <summary>
    /// <c>dcache_clean_pop(start, end)</c>: the clean instruction (<see cref="CleanInstruction"/>) on every line of the
    /// range, then DSB SY. Nothing for an empty range.
    /// </summary>
    public void DcacheCleanPop(ulong address, ulong size)
    {
        if (size == 0)
        {
            return;
        }
        var cvap = CleanInstruction == Arm64Instruction.DcCvap;
        for (var a = address & ~(ulong)(Line - 1); a < address + size; a += Line)
        {
            Note(cvap ? cpu.DcCvap(a) : cpu.DcCvac(a));
        }
        cpu.Dsb();
        Instructions++;
    }

    /// <summary><c>arch_wb_cache_pmem</c>: DMB OSH (ordering earlier non-cacheable writes), then <c>dcache_clean_pop</c>.</summary>
    public override void CleanCacheRange(ulong address, ulong size)
    {
        cpu.Dmb();
        Instructions++;
        DcacheCleanPop(address, size);
    }

    /// <summary><c>arch_invalidate_pmem</c> = <c>dcache_inval_poc</c>: DC CIVAC per line (the kernel uses DC IVAC on
    /// whole lines, which at EL1 under a hypervisor is a clean and invalidate too), then DSB SY.</summary>
    public void InvalidateRange(ulong address, ulong size)
    {
        for (var a = address & ~(ulong)(Line - 1); a < address + size; a += Line)
        {
            Note(cpu.DcCivac(a));
        }
        cpu.Dsb();
        Instructions++;
    }

    /// <summary>
    /// <c>__copy_user_flushcache(to, from, n)</c>: <c>raw_copy_from_user</c> (stops at the first unreadable byte of
    /// <paramref name="segment"/>), then, with the capability, <c>dcache_clean_pop</c> of the copied prefix only.
    /// Returns the bytes not copied.
    /// </summary>
    public ulong CopyUserFlushcache(ulong dst, IovSegment segment)
    {
        var readable = segment.Readable;
        Memcpy(dst, segment.Data.AsSpan(0, readable));
        if (HasFlushcache)
        {
            DcacheCleanPop(dst, (ulong)readable);
        }
        return (ulong)(segment.Data.Length - readable);
    }

    /// <inheritdoc/>
    public override ulong CopyUserSegment(ulong dst, IovSegment segment) => CopyUserFlushcache(dst, segment);
}
