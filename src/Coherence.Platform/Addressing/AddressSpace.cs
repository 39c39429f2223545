namespace Coherence.Platform.Addressing;

/// <summary>
/// Page mappings from virtual to physical addresses, each with a memory type; CPUs that share an address space share
/// these mappings. Ranges are page aligned (4 KiB) and do not overlap. Two spaces may map one physical page with
/// different types: that is the mismatched alias the architecture warns about, and the model lets it lose coherence.
/// </summary>
public sealed class AddressSpace
{
    /// <summary>The page size of mappings.</summary>
    public const ulong PageSize = 4096;
    private readonly List<Mapping> mappings = [];
    private int last = -1;

    /// <summary>Creates an empty address space named <paramref name="name"/>.</summary>
    public AddressSpace(string name) => Name = name;

    /// <summary>The address space's name.</summary>
    public string Name { get; }

    /// <summary>The mappings in virtual-address order.</summary>
    public IReadOnlyList<Mapping> Mappings => mappings;

    /// <summary>
    /// Maps <paramref name="size"/> bytes at <paramref name="va"/> to <paramref name="pa"/> with <paramref name="type"/>.
    /// Throws naming the value when a bound is not page aligned or the range overlaps an existing mapping.
    /// </summary>
    public void Map(ulong va, ulong pa, ulong size, MemoryType type)
    {
        if (va % PageSize != 0 || pa % PageSize != 0 || size == 0 || size % PageSize != 0)
        {
            throw new ArgumentException($"mapping va 0x{va:x} -> pa 0x{pa:x} size 0x{size:x} in {Name} is not 4 KiB aligned and non-empty");
        }
        if (va + size < va || pa + size < pa)
        {
            throw new ArgumentException($"mapping va 0x{va:x} size 0x{size:x} in {Name} wraps past the end of the address space");
        }
        var i = 0;
        while (i < mappings.Count && mappings[i].VirtualStart < va)
        {
            i++;
        }
        foreach (var m in mappings)
        {
            if (va < m.VirtualStart + m.Size && m.VirtualStart < va + size)
            {
                throw new ArgumentException($"mapping va 0x{va:x} size 0x{size:x} in {Name} overlaps the mapping at va 0x{m.VirtualStart:x}");
            }
        }
        mappings.Insert(i, new Mapping(va, pa, size, type));
        last = -1;
    }

    /// <summary>Removes the mapping that starts at <paramref name="va"/>; returns false when there is none.</summary>
    public bool Unmap(ulong va)
    {
        for (var i = 0; i < mappings.Count; i++)
        {
            if (mappings[i].VirtualStart == va)
            {
                mappings.RemoveAt(i);
                last = -1;
                return true;
            }
        }
        return false;
    }

    /// <summary>Translates <paramref name="va"/>; returns false (a page fault) when it is not mapped.</summary>
    public bool TryTranslate(ulong va, out ulong pa, out MemoryType type)
    {
        var l = last;
        if (l >= 0 && mappings[l].Contains(va))
        {
            var hit = mappings[l];
            pa = hit.PhysicalStart + (va - hit.VirtualStart);
            type = hit.Type;
            return true;
        }
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
                last = mid;
                pa = m.PhysicalStart + (va - m.VirtualStart);
                type = m.Type;
                return true;
            }
        }
        pa = 0;
        type = default;
        return false;
    }
}
