using Coherence.Platform.Devices;

namespace Coherence.Platform.Addressing;

/// <summary>
/// The physical address map: non-overlapping, line-aligned resources kept sorted by start address.
/// </summary>
public sealed class AddressMap
{
    private readonly List<Resource> resources = [];
    private Resource? last;

    /// <summary>The resources in address order.</summary>
    public IReadOnlyList<Resource> Resources => resources;

    internal static void Validate(IReadOnlyList<Resource> existing, string name, ulong start, ulong size, MemoryDevice device, ulong deviceOffset)
    {
        if (size == 0 || size % 4096 != 0 || start % 4096 != 0)
        {
            throw new ArgumentException($"resource {name} [0x{start:x}, size 0x{size:x}] must be non-empty and 4 KiB aligned");
        }
        if (start + size < start)
        {
            throw new ArgumentException($"resource {name} at 0x{start:x} of size 0x{size:x} wraps past the end of the address space");
        }
        foreach (var r in existing)
        {
            if (r.Name == name)
            {
                throw new ArgumentException($"resource name {name} is already used");
            }
            if (start < r.End && r.Start < start + size)
            {
                throw new ArgumentException($"resource {name} [0x{start:x}-0x{start + size - 1:x}] overlaps {r.Name} [0x{r.Start:x}-0x{r.End - 1:x}]");
            }
        }
        device.CheckRange(deviceOffset, size);
    }

    internal Resource Add(string name, ulong start, ulong size, ResourceKind kind, MemoryDevice device, ulong deviceOffset)
    {
        Validate(resources, name, start, size, device, deviceOffset);
        var r = new Resource(name, start, size, kind, device, deviceOffset);
        var i = 0;
        while (i < resources.Count && resources[i].Start < start)
        {
            i++;
        }
        resources.Insert(i, r);
        return r;
    }

    /// <summary>Returns the resource containing <paramref name="address"/>, or null.</summary>
    public Resource? Find(ulong address)
    {
        address = KeyIds.Strip(address);
        var l = last;
        if (l is not null && l.Contains(address))
        {
            return l;
        }
        var lo = 0;
        var hi = resources.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var r = resources[mid];
            if (address < r.Start)
            {
                hi = mid - 1;
            }
            else if (address >= r.End)
            {
                lo = mid + 1;
            }
            else
            {
                last = r;
                return r;
            }
        }
        return null;
    }

    /// <summary>Returns the resource named <paramref name="name"/>, or null.</summary>
    public Resource? Named(string name)
    {
        foreach (var r in resources)
        {
            if (r.Name == name)
            {
                return r;
            }
        }
        return null;
    }

    /// <summary>Returns the resource containing <paramref name="address"/>; throws naming the address when there is none.</summary>
    public Resource Resolve(ulong address) =>
        Find(address) ?? throw new ArgumentOutOfRangeException(nameof(address), $"physical address 0x{address:x} is outside the address map");
}
