namespace Coherence.Native.CacheLines;

/// <summary>The x86 instruction that writes a cache line back to memory.</summary>
public enum WriteBackInstruction
{
    /// <summary>CLWB: write back, the line may stay cached (the kernel's <c>clean_cache_range</c>).</summary>
    Clwb,

    /// <summary>CLFLUSHOPT: write back and invalidate, weakly ordered (needs a fence).</summary>
    ClflushOpt,

    /// <summary>CLFLUSH: write back and invalidate, ordered with other CLFLUSHes and stores (slowest).</summary>
    Clflush,
}
