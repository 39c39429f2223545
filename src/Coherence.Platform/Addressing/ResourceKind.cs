namespace Coherence.Platform.Addressing;

/// <summary>Kinds of physical address range, after the kernel's IORES_DESC descriptors.</summary>
public enum ResourceKind
{
    /// <summary>Ordinary system RAM (IORES_DESC_NONE, "System RAM").</summary>
    SystemRam,

    /// <summary>Persistent memory (IORES_DESC_PERSISTENT_MEMORY).</summary>
    PersistentMemory,

    /// <summary>A CXL fixed memory window (IORES_DESC_CXL): an HPA range that decoders point at devices.</summary>
    CxlWindow,

    /// <summary>Reserved: mapped uncached by default.</summary>
    Reserved,
}
