namespace Coherence.Checking.Scenarios;

/// <summary>A kernel facility whose behaviour a scenario can select, with its variants; the first is today's upstream.</summary>
/// <param name="Name">The facility's name in scenario files (<c>policy memregion=x86-all-cpus</c>).</param>
/// <param name="Variants">Accepted variants, the default (today's upstream) first.</param>
/// <param name="Description">What the choice changes.</param>
public sealed record PolicyFacility(string Name, IReadOnlyList<string> Variants, string Description)
{
    /// <summary>Today's upstream behaviour.</summary>
    public string Default => Variants[0];
}

/// <summary>The facilities and variants the kernel model implements (docs/kernel.md describes each).</summary>
public static class Policies
{
    /// <summary>Every facility, by name.</summary>
    public static IReadOnlyList<PolicyFacility> All { get; } =
    [
        new("memregion", ["x86-all-cpus", "x86-local-cpu", "registry", "none"], "how cpu_cache_invalidate_memregion invalidates: WBINVD on every CPU, on the calling CPU only (the classic bug), the generic agent registry, or not at all"),
        new("nvdimm-flush", ["v6.2", "v5.0", "none"], "where NVDIMM security operations invalidate CPU caches: INCOHERENT flag and flush at region activation (v6.2), explicit invalidation around each operation (v5.0), or never"),
        new("cxl-region", ["v6.5", "v6.2", "none"], "when CXL region code invalidates: before commit and reset (v6.5), INCOHERENT flag checked at probe (v6.2), or never"),
        new("tdx-kexec", ["upstream", "seed-notifier", "pamt-only", "none"], "how TDX private memory is made safe before kexec"),
        new("tdx-reclaim", ["upstream", "no-wbinvd", "no-reset", "none"], "how freed TDX private memory (KVM page removal, the PAMT after a failed module init) is flushed and reset before reuse"),
        new("kvm-s2", ["6.17", "6.8", "pre-6.8"], "how KVM arm64 chooses stage-2 memory types from the VMA"),
        new("flushcache", ["x86", "nocache-fallback", "memcpy", "arm64-cvap", "arm64-cvac"], "the copy behind memcpy_flushcache and copy_from_iter_flushcache"),
        new("pmem-wmb", ["on", "off"], "whether nvdimm_flush issues the SFENCE before writing flush hints"),
        new("dax-flush", ["write-cache", "none"], "whether the pmem driver sets DAXDEV_WRITE_CACHE from nvdimm_has_cache(), so that fsync's dax_flush writes pages dirtied through mmap back with arch_wb_cache_pmem (write-cache), or never sets it and dax_flush does nothing (none)"),
        new("pmem-clear-poison", ["invalidate", "none"], "whether __pmem_clear_poison invalidates CPU caches (arch_invalidate_pmem) after the DIMM clears poison"),
    ];

    /// <summary>The facility named <paramref name="name"/>, or null.</summary>
    public static PolicyFacility? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>The default variant of every facility.</summary>
    public static Dictionary<string, string> Defaults() => All.ToDictionary(f => f.Name, f => f.Default, StringComparer.Ordinal);
}
