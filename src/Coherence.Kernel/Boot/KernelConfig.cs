using Coherence.Kernel.Memregion;

namespace Coherence.Kernel.Boot;

/// <summary>The kernel build and policy choices a scenario can make. Defaults are today's upstream x86-64.</summary>
public sealed record KernelConfig
{
    /// <summary>How <c>cpu_cache_invalidate_memregion</c> is implemented.</summary>
    public MemregionPolicy MemregionPolicy { get; init; } = MemregionPolicy.X86AllCpus;

    /// <summary>CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS: a missing namespace import is a pr_warn, not -EINVAL.</summary>
    public bool AllowMissingNamespaceImports { get; init; }

    /// <summary>CONFIG_DEBUG_NOTIFIERS-like strictness is always on; this reports a notifier callback that may
    /// sleep when it is called in atomic context (might_sleep), which is what CONFIG_DEBUG_ATOMIC_SLEEP does.</summary>
    public bool DebugAtomicSleep { get; init; } = true;
}
