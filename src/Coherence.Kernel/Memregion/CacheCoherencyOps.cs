using Coherence.Kernel.Boot;

namespace Coherence.Kernel.Memregion;

/// <summary>A provider's <c>wbinv</c>: write back and invalidate what it caches of the range.</summary>
public delegate Errno CacheWbinvCallback(CacheCoherencyOpsInstance instance, CacheInvalidateParams parameters);

/// <summary>A provider's optional <c>done</c>: wait for completion of what wbinv started.</summary>
public delegate Errno CacheDoneCallback(CacheCoherencyOpsInstance instance);

/// <summary><c>struct cache_coherency_ops</c> (include/linux/cache_coherency.h).</summary>
/// <param name="Wbinv">Required (allocation of an instance without it fails).</param>
/// <param name="Done">Optional.</param>
public sealed record CacheCoherencyOps(CacheWbinvCallback? Wbinv, CacheDoneCallback? Done = null);
