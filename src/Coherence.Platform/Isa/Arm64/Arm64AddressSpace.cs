using Coherence.Platform.Addressing;

namespace Coherence.Platform.Isa.Arm64;

/// <summary>One stage-1 mapping: virtual pages to output (physical, or intermediate physical in a guest) pages with
/// the memory type the page tables' AttrIndx selects through MAIR.</summary>
/// <param name="VirtualStart">First virtual address (page aligned).</param>
/// <param name="OutputStart">First output address (page aligned).</param>
/// <param name="Size">Size in bytes (a multiple of the page size).</param>
/// <param name="Type">The stage-1 memory type.</param>
public readonly record struct Arm64Mapping(ulong VirtualStart, ulong OutputStart, ulong Size, Arm64MemoryType Type)
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
    public const ulong PageSize = 4096;
    private readonly List<Arm64Mapping> mappings = [];

    /// <summary>The mappings in virtual-address order.</summary>
    public IReadOnlyList<Arm64Mapping> Mappings => mappings;

    /// <summary>
    /// Maps <paramref name="size"/> bytes at <paramref name="va"/> to <paramref name="output"/> with
    /// <paramref name="type"/>. Throws naming the value when a bound is not page aligned, the range wraps, or it
    /// overlaps an existing mapping; the space is then unchanged.
    /// </summary>
    public void Map(ulong va, ulong output, ulong size, Arm64MemoryType type)
    {
        if (va % PageSize != 0 || output % PageSize != 0 || size == 0 || size % PageSize != 0)
        {
            throw new ArgumentException($"arm64 mapping va 0x{va:x} -> 0x{output:x} size 0x{size:x} is not 4 KiB aligned and non-empty");
        }
        if (va + size < va || output + size < output)
        {
            throw new ArgumentException($"arm64 mapping va 0x{va:x} size 0x{size:x} wraps past the end of the address space");
        }
        var i = 0;
        foreach (var m in mappings)
        {
            if (va < m.VirtualStart + m.Size && m.VirtualStart < va + size)
            {
                throw new ArgumentException($"arm64 mapping va 0x{va:x} size 0x{size:x} overlaps the mapping at va 0x{m.VirtualStart:x}");
            }
            if (m.VirtualStart < va)
            {
                i++;
            }
        }
        mappings.Insert(i, new Arm64Mapping(va, output, size, type));
    }

    /// <summary>Removes the mapping that starts at <paramref name="va"/>; false when there is none.</summary>
    public bool Unmap(ulong va)
    {
        var i = mappings.FindIndex(m => m.VirtualStart == va);
        if (i < 0)
        {
            return false;
        }
        mappings.RemoveAt(i);
        return true;
    }

    /// <summary>Translates <paramref name="va"/>; false when no mapping covers it.</summary>
    public bool TryTranslate(ulong va, out ulong output, out Arm64MemoryType type)
    {
        var lo = 0;
        var hi = mappings.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var m = mappings[mid];
            if (va < m.VirtualStart)
            {
                hi = mid - 1;
            }
            else if (va - m.VirtualStart >= m.Size)
            {
                lo = mid + 1;
            }
            else
            {
                output = m.OutputStart + (va - m.VirtualStart);
                type = m.Type;
                return true;
            }
        }
        output = 0;
        type = default;
        return false;
    }
}
