namespace Coherence.Platform.Cpus;

/// <summary>What a store-buffer entry is. Flushes and SFENCE travel through the store buffer so that they are
/// ordered after earlier stores, as x86 orders CLFLUSH with stores and SFENCE after earlier stores.</summary>
public enum StoreEntryKind : byte
{
    /// <summary>An ordinary store (WB, WT or UC memory).</summary>
    Store,

    /// <summary>CLFLUSH: flushes the line when it leaves the buffer, synchronously.</summary>
    Clflush,

    /// <summary>CLFLUSHOPT: becomes a pending flush when it leaves the buffer.</summary>
    ClflushOpt,

    /// <summary>CLWB: becomes a pending write-back when it leaves the buffer.</summary>
    Clwb,

    /// <summary>SFENCE: when it leaves the buffer, every pending flush completes and every WC buffer drains.</summary>
    Sfence,
}
