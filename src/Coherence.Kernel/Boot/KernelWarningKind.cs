namespace Coherence.Kernel.Boot;

/// <summary>What kind of splat the kernel printed.</summary>
public enum KernelWarningKind
{
    /// <summary>WARN_ON / WARN_ON_ONCE / WARN fired.</summary>
    Warn,

    /// <summary>"BUG: sleeping function called from invalid context" (might_sleep in atomic context).</summary>
    SleepInAtomic,

    /// <summary>A lock the caller already holds was taken again: the real kernel hangs here (lockdep reports it first).</summary>
    Deadlock,

    /// <summary>A list debugging check (CONFIG_DEBUG_LIST) caught a corrupting list_add or list_del.</summary>
    ListCorruption,

    /// <summary>An object was used after its last reference was dropped (what KASAN would report).</summary>
    UseAfterFree,
}
