using Coherence.Platform.Addressing;

namespace Coherence.Platform.Isa.Arm64;

/// <summary>One stage-1 mapping: virtual pages to output (physical, or intermediate physical in a guest) pages with
/// the memory type the page tables' AttrIndx selects through MAIR.</summary>
/// <param name="VirtualStart">First virtual address (page aligned).</param>
/// <param name="OutputStart">First output address (page aligned).</param>
/// <param name="Size">Size in bytes (a multiple of the page size).</param>
/// <param name="Type">The stage-1 memory type.</param>
public readonly record struct Arm64Mapping(ulong VirtualStart, ulong OutputStart, ulong Size, Arm64MemoryType Type) : IPageRange
{
    /// <summary>True when <paramref name="va"/> lies in the range.</summary>
    public bool Contains(ulong va) => va >= VirtualStart && va - VirtualStart < Size;
}

/// <summary>
/// Stage-1 translation of one AArch64 CPU (its TTBR's page tables, reduced to 4 KiB ranges with a memory type).
/// Ranges do not overlap. An address no mapping covers falls back to the CPU's linear map (see
/// <see cref="Arm64Cpu"/>); an explicit mapping is what a scenario or the kernel adds (a VMM's VMA, a guest's
/// ioremap_wc).
/// </summary>
public sealed class Arm64AddressSpace
{
    /// <summary>The page size of mappings.</summary>
    public const ulong PageSize = PageRanges.PageSize;
    private readonly List<Arm64Mapping> mappings = [];

    /// <summary>The mappings in virtual-address order.</summary>
    public IReadOnlyList<Arm64Mapping> Mappings => mappings;

    /// <summary>
    /// Maps <paramref name="size"/> bytes at <paramref name="va"/> to <paramref name="output"/> with
    /// <paramref name="type"/>. Throws naming the value when a bound is not page aligned, the range wraps, or it
    /// overlaps an existing mapping; the space is then unchanged.
    /// </summary>
    public void Map(ulong va, ulong output, ulong size, Arm64MemoryType type) =>
        PageRanges.Insert(mappings, new Arm64Mapping(va, output, size, type), va, output, "arm64 mapping");

    /// <summary>Removes the mapping that starts at <paramref name="va"/>; false when there is none.</summary>
    public bool Unmap(ulong va) => PageRanges.Remove(mappings, va);

    /// <summary>Translates <paramref name="va"/>; false when no mapping covers it.</summary>
    public bool TryTranslate(ulong va, out ulong output, out Arm64MemoryType type)
    {
        var i = PageRanges.Find(mappings, va);
        if (i >= 0)
        {
            var m = mappings[i];
            output = m.OutputStart + (va - m.VirtualStart);
            type = m.Type;
            return true;
        }
        output = 0;
        type = default;
        return false;
    }
}
