namespace Coherence.Platform.Addressing;

/// <summary>A page-aligned range of virtual addresses that a mapping list holds (x86 <see cref="Mapping"/>, AArch64
/// stage-1 mappings).</summary>
public interface IPageRange
{
    /// <summary>First virtual address.</summary>
    ulong VirtualStart { get; }

    /// <summary>Size in bytes.</summary>
    ulong Size { get; }
}

/// <summary>The one implementation of a sorted, non-overlapping list of page mappings: checked insertion, removal by
/// start, and binary search.</summary>
public static class PageRanges
{
    /// <summary>The page size of mappings.</summary>
    public const ulong PageSize = 4096;

    /// <summary>
    /// Inserts <paramref name="mapping"/> (from <paramref name="va"/> to <paramref name="output"/>) in address order.
    /// Throws naming the values when a bound is not page aligned, the range is empty or wraps, or it overlaps a
    /// mapping already there; the list is then unchanged. Messages read "<paramref name="what"/> va … -&gt;
    /// <paramref name="outputLabel"/>0x… size …<paramref name="where"/> …".
    /// </summary>
    public static void Insert<T>(List<T> mappings, T mapping, ulong va, ulong output, string what, string outputLabel = "", string where = "")
        where T : IPageRange
    {
        var size = mapping.Size;
        if (va % PageSize != 0 || output % PageSize != 0 || size == 0 || size % PageSize != 0)
        {
            throw new ArgumentException($"{what} va 0x{va:x} -> {outputLabel}0x{output:x} size 0x{size:x}{where} is not 4 KiB aligned and non-empty");
        }
        if (va + size < va || output + size < output)
        {
            throw new ArgumentException($"{what} va 0x{va:x} size 0x{size:x}{where} wraps past the end of the address space");
        }
        var i = 0;
        foreach (var m in mappings)
        {
            if (va < m.VirtualStart + m.Size && m.VirtualStart < va + size)
            {
                throw new ArgumentException($"{what} va 0x{va:x} size 0x{size:x}{where} overlaps the mapping at va 0x{m.VirtualStart:x}");
            }
            if (m.VirtualStart < va)
            {
                i++;
            }
        }
        mappings.Insert(i, mapping);
    }

    /// <summary>Removes the mapping that starts at <paramref name="va"/>; false when there is none.</summary>
    public static bool Remove<T>(List<T> mappings, ulong va)
        where T : IPageRange
    {
        for (var i = 0; i < mappings.Count; i++)
        {
            if (mappings[i].VirtualStart == va)
            {
                mappings.RemoveAt(i);
                return true;
            }
        }
        return false;
    }

    /// <summary>The index of the mapping covering <paramref name="va"/>, or -1.</summary>
    public static int Find<T>(List<T> mappings, ulong va)
        where T : IPageRange
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
                return mid;
            }
        }
        return -1;
    }
}
