namespace Coherence.Platform.Addressing;

/// <summary>
/// Page mappings from virtual to physical addresses, each with a memory type; CPUs that share an address space share
/// these mappings. Ranges are page aligned (4 KiB) and do not overlap. Two spaces may map one physical page with
/// different types: that is the mismatched alias the architecture warns about, and the model lets it lose coherence.
/// </summary>
public sealed class AddressSpace
{
    /// <summary>The page size of mappings.</summary>
    public const ulong PageSize = PageRanges.PageSize;
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
        PageRanges.Insert(mappings, new Mapping(va, pa, size, type), va, pa, "mapping", "pa ", $" in {Name}");
        last = -1;
    }

    /// <summary>Removes the mapping that starts at <paramref name="va"/>; returns false when there is none.</summary>
    public bool Unmap(ulong va)
    {
        last = -1;
        return PageRanges.Remove(mappings, va);
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
        var i = PageRanges.Find(mappings, va);
        if (i >= 0)
        {
            last = i;
            var m = mappings[i];
            pa = m.PhysicalStart + (va - m.VirtualStart);
            type = m.Type;
            return true;
        }
        pa = 0;
        type = default;
        return false;
    }
}
