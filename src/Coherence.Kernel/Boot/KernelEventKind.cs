namespace Coherence.Kernel.Boot;

/// <summary>Kernel-level actions recorded in <see cref="KernelModel.Events"/> (the machine records its own events).</summary>
public enum KernelEventKind
{
    /// <summary>A CPU sent a function-call IPI to another CPU (smp_call_function_many).</summary>
    IpiSend,

    /// <summary>A CPU ran a cross-CPU function call (remote from an IPI, or locally on the caller).</summary>
    IpiFunction,

    /// <summary>The kernel executed WBINVD on a CPU (Outcome: the instruction's outcome).</summary>
    Wbinvd,

    /// <summary>A cache-maintenance provider's wbinv() was called (lib/cache_maint.c).</summary>
    ProviderWbinv,

    /// <summary>A cache-maintenance provider's done() was called.</summary>
    ProviderDone,

    /// <summary>A memregion invalidation that by policy does nothing.</summary>
    MemregionNoop,

    /// <summary>A notifier callback ran.</summary>
    NotifierCall,

    /// <summary>A CPU went offline or online.</summary>
    CpuHotplug,

    /// <summary>A module was loaded or unloaded.</summary>
    Module,
}
