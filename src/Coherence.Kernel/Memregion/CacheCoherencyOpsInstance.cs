namespace Coherence.Kernel.Memregion;

/// <summary>
/// <c>struct cache_coherency_ops_inst</c>: a kref, a list node and the ops. Drivers derive from it (the C macro
/// requires the instance to be the first member of the driver's struct). Created only through
/// <see cref="CacheCoherencyRegistry.Alloc"/>; starts with one reference, not registered.
/// </summary>
public class CacheCoherencyOpsInstance
{
    /// <summary>For derived provider types; the registry sets the ops and the reference.</summary>
    protected internal CacheCoherencyOpsInstance(string name) => Name = name;

    /// <summary>A name for traces and logs.</summary>
    public string Name { get; }

    /// <summary>The ops (<c>cci-&gt;ops</c>). Settable to null to model a driver that clobbered it: invalidation then
    /// returns -EINVAL at this instance.</summary>
    public CacheCoherencyOps? Ops { get; set; }

    /// <summary>The kref count; 0 once released.</summary>
    public int RefCount { get; internal set; }

    /// <summary>True while on the registry's list.</summary>
    public bool IsRegistered { get; internal set; }

    /// <summary>True once the last reference was put (the memory is freed).</summary>
    public bool IsFreed => RefCount == 0;
}
