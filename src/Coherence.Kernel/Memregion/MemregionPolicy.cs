namespace Coherence.Kernel.Memregion;

/// <summary>Which mechanism implements <c>cpu_cache_invalidate_memregion</c>.</summary>
public enum MemregionPolicy
{
    /// <summary>
    /// x86 upstream (arch/x86/mm/pat/set_memory.c): available unless a hypervisor is detected; WBINVD on every
    /// online CPU through an IPI (<c>wbinvd_on_all_cpus</c>).
    /// </summary>
    X86AllCpus,

    /// <summary>The classic bug: as <see cref="X86AllCpus"/> but WBINVD only on the calling CPU (<c>wbinvd()</c>), so
    /// other cores' private caches and other sockets' LLCs keep their lines.</summary>
    X86LocalCpu,

    /// <summary>Generic back-end (lib/cache_maint.c, CONFIG_GENERIC_CPU_CACHE_MAINTENANCE): registered providers,
    /// newest first; available when at least one is registered.</summary>
    Registry,

    /// <summary>No mechanism: gated like x86 (unavailable under a hypervisor) but invalidation does nothing and
    /// returns 0. Shows what a protocol loses without the flush.</summary>
    None,

    /// <summary>CONFIG_ARCH_HAS_CPU_CACHE_INVALIDATE_MEMREGION=n (the memregion.h stubs): never available;
    /// invalidation WARN_ON_ONCEs "CPU cache invalidation required" and returns -ENXIO.</summary>
    Unconfigured,
}
