using KernelLog = Coherence.Kernel.Boot.KernelLog;

namespace Coherence.Kernel.Nvdimm;

/// <summary>
/// An NVDIMM bus (<c>struct nvdimm_bus</c>) with the kernel services its DIMMs and regions use: the flush policy, the
/// cache invalidator (memregion), the key ring, the kernel log and the delayed-work timeline. The bus lock
/// (<c>reconfig_mutex</c>) is implicit: the model is driven by one thread.
/// </summary>
public sealed class NvdimmBus
{
    private readonly List<Nvdimm> dimms = [];
    private readonly List<NdRegion> regions = [];

    /// <summary>Creates a bus. Services not given are created empty.</summary>
    public NvdimmBus(ICacheInvalidator invalidator, NvdimmFlushPolicy policy = NvdimmFlushPolicy.V6_2, KernelLog? log = null,
        KeyRing? keys = null, DelayedWorkQueue? work = null)
    {
        Invalidator = invalidator;
        Policy = policy;
        Log = log ?? new KernelLog();
        Keys = keys ?? new KeyRing();
        Work = work ?? new DelayedWorkQueue();
    }

    /// <summary>Where caches are invalidated.</summary>
    public NvdimmFlushPolicy Policy { get; }

    /// <summary>The memregion facility (<c>cpu_cache_invalidate_memregion</c>).</summary>
    public ICacheInvalidator Invalidator { get; }

    /// <summary>The kernel log.</summary>
    public KernelLog Log { get; }

    /// <summary>The user's key ring.</summary>
    public KeyRing Keys { get; }

    /// <summary>The simulated clock and <c>system_wq</c>.</summary>
    public DelayedWorkQueue Work { get; }

    /// <summary>Module parameter <c>key_revalidate</c> (default true): re-verify the key of a DIMM the pre-OS unlocked.</summary>
    public bool KeyRevalidate { get; set; } = true;

    /// <summary><c>CONFIG_NVDIMM_SECURITY_TEST</c>: region activate bypasses a missing invalidation with a warning.</summary>
    public bool SecurityTest { get; set; }

    /// <summary>The DIMMs in creation order.</summary>
    public IReadOnlyList<Nvdimm> Dimms => dimms;

    /// <summary>The regions in creation order.</summary>
    public IReadOnlyList<NdRegion> Regions => regions;

    /// <summary>
    /// <c>nvdimm_create</c>: registers a DIMM and reads its user and master security flags. The DIMM driver has not
    /// probed yet: call <see cref="Nvdimm.Probe"/> (which unlocks).
    /// </summary>
    public Nvdimm AddDimm(string name, string dimmId, INvdimmSecurityOps? ops)
    {
        var nvdimm = new Nvdimm(this, name, dimmId, ops);
        dimms.Add(nvdimm);
        return nvdimm;
    }

    /// <summary><c>nd_region_create</c>: a region over the physical range [start, start+size) interleaved across <paramref name="mappings"/>.</summary>
    public NdRegion AddRegion(string name, ulong start, ulong size, params Nvdimm[] mappings)
    {
        var region = new NdRegion(this, name, start, size, mappings);
        regions.Add(region);
        return region;
    }
}
