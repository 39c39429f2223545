namespace Coherence.Platform.Addressing;

/// <summary>
/// Memory types of a mapping: the x86 PAT types. The classification helpers in <see cref="MemoryTypes"/> are the one
/// place that says which of them are cached, write-combining or uncached. The arm64 types (Normal-WB/WT/NC, Device-*)
/// are a separate enum, <see cref="Arm64MemoryType"/>, classified by <see cref="Arm64MemoryTypes"/>.
/// </summary>
public enum MemoryType : byte
{
    /// <summary>x86 write-back: cached, stores stay in the cache until evicted or flushed.</summary>
    WriteBack,

    /// <summary>x86 write-through: reads cached; stores update a cached copy and go on to memory.</summary>
    WriteThrough,

    /// <summary>x86 write-combining: uncached; stores gather in write-combining buffers.</summary>
    WriteCombining,

    /// <summary>x86 uncached (strong UC): every access goes to the device, in program order.</summary>
    Uncached,
}

/// <summary>Classification of <see cref="MemoryType"/> values.</summary>
public static class MemoryTypes
{
    /// <summary>True when loads of this type may allocate in and hit the CPU caches.</summary>
    public static bool IsCacheable(this MemoryType type) => type is MemoryType.WriteBack or MemoryType.WriteThrough;

    /// <summary>True when stores of this type gather in write-combining buffers.</summary>
    public static bool IsWriteCombining(this MemoryType type) => type == MemoryType.WriteCombining;

    /// <summary>The short name used in traces and scenario files (WB, WT, WC, UC).</summary>
    public static string ShortName(this MemoryType type) => type switch
    {
        MemoryType.WriteBack => "WB",
        MemoryType.WriteThrough => "WT",
        MemoryType.WriteCombining => "WC",
        _ => "UC",
    };
}
