namespace Coherence.Platform.Choice;

/// <summary>Things the hardware may do on its own between instructions.</summary>
public enum BackgroundActionKind : byte
{
    /// <summary>The oldest entry of a CPU's store buffer becomes visible.</summary>
    DrainStoreBuffer,

    /// <summary>A write-combining buffer of a CPU is written to its device.</summary>
    DrainWcBuffer,

    /// <summary>A pending CLFLUSHOPT or CLWB of a CPU completes.</summary>
    CompleteFlush,

    /// <summary>A device's write-pending queue drains one line to the media.</summary>
    DrainQueue,

    /// <summary>A cached line is evicted to the next level (spontaneous eviction; enabled by the platform config).</summary>
    Evict,

    /// <summary>A write-back-mapped line is fetched into a CPU's L1 speculatively (enabled by the platform config).</summary>
    SpeculativeFetch,
}
