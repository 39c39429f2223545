namespace Coherence.Platform.Addressing;

/// <summary>One range of an address space: virtual pages mapped to physical pages with a memory type.</summary>
/// <param name="VirtualStart">First virtual address (page aligned).</param>
/// <param name="PhysicalStart">First physical address (page aligned).</param>
/// <param name="Size">Size in bytes (a multiple of the page size).</param>
/// <param name="Type">The memory type of every access through the range.</param>
public readonly record struct Mapping(ulong VirtualStart, ulong PhysicalStart, ulong Size, MemoryType Type) : IPageRange
{
    /// <summary>True when <paramref name="va"/> lies in the range.</summary>
    public bool Contains(ulong va) => va >= VirtualStart && va - VirtualStart < Size;
}
