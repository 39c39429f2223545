using Coherence.Platform.Devices;

namespace Coherence.Platform.Addressing;

/// <summary>
/// One physical address range of the map, backed by a device at an offset. A CXL window's backing can be re-pointed
/// (<see cref="Machine.Retarget"/>) without the caches knowing, as decoder reprogramming does.
/// </summary>
public sealed class Resource
{
    internal Resource(string name, ulong start, ulong size, ResourceKind kind, MemoryDevice device, ulong deviceOffset)
    {
        Name = name;
        Start = start;
        Size = size;
        Kind = kind;
        Device = device;
        DeviceOffset = deviceOffset;
    }

    /// <summary>The range's name.</summary>
    public string Name { get; }

    /// <summary>First physical address.</summary>
    public ulong Start { get; }

    /// <summary>Size in bytes.</summary>
    public ulong Size { get; }

    /// <summary>One past the last physical address.</summary>
    public ulong End => Start + Size;

    /// <summary>The kind of range.</summary>
    public ResourceKind Kind { get; }

    /// <summary>The device that backs the range now.</summary>
    public MemoryDevice Device { get; internal set; }

    /// <summary>Offset in <see cref="Device"/> of <see cref="Start"/>.</summary>
    public ulong DeviceOffset { get; internal set; }

    /// <summary>True when <paramref name="address"/> lies in the range.</summary>
    public bool Contains(ulong address) => address >= Start && address - Start < Size;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [0x{Start:x}-0x{End - 1:x}] {Kind} -> {Device.Name}+0x{DeviceOffset:x}";
}
