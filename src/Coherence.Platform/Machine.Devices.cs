using Coherence.Platform.Addressing;
using Coherence.Platform.Caches;
using Coherence.Platform.Devices;
using Coherence.Platform.Events;
using Coherence.Platform.Provenance;

namespace Coherence.Platform;

/// <summary>Device-side operations: none of them touches the CPU caches, which is the point.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// Erases a device in O(1) (secure erase, sanitize, overwrite): a new epoch in which every line reads as
    /// <paramref name="fill"/>. Cached copies of its lines are untouched and become stale. Returns the erase's origin id.
    /// </summary>
    public uint EraseDevice(MemoryDevice device, byte fill = 0, string? tenant = null)
    {
        var step = BeginStep();
        var origin = Origins.Add(new Origin(OriginKind.Erase, step, -1, Origins.Tenant(tenant), device.Index, device.Epoch + 1));
        device.StartEpoch(fill, origin, bumpEpoch: true);
        ForgetTdOwnership(device);
        if (Observed)
        {
            Emit(new MachineEvent(EventKind.DeviceErase, step, -1, null, 0, 0, device.Index, false, origin, fill));
        }
        EndStep();
        return origin;
    }

    /// <summary>Locks or unlocks a device. While locked, reads return poison (or all-ones) and writes are dropped.</summary>
    public void SetLocked(MemoryDevice device, bool locked)
    {
        var step = BeginStep();
        device.IsLocked = locked;
        if (Observed)
        {
            Emit(new MachineEvent(EventKind.DeviceLock, step, -1, null, 0, 0, device.Index, false, 0, locked ? 1 : 0));
        }
        EndStep();
    }

    /// <summary>Poisons the media line holding device offset <paramref name="offset"/> (its bytes keep their values but
    /// consuming them raises a machine check).</summary>
    public void PoisonDeviceLine(MemoryDevice device, ulong offset)
    {
        device.CheckRange(offset, 1);
        var step = BeginStep();
        var line = offset & ~63UL;
        Span<byte> data = stackalloc byte[64];
        Span<uint> origins = stackalloc uint[64];
        device.ReadMedia(line, data, origins);
        origins.Fill(device.PoisonOrigin);
        device.Write(line, data, origins, OriginGrain.Line, ulong.MaxValue, queued: false);
        if (Observed)
        {
            Emit(new MachineEvent(EventKind.PoisonLine, step, -1, null, line, 64, device.Index, false, device.PoisonOrigin, 0));
        }
        EndStep();
    }

    /// <summary>
    /// Re-points the physical range <paramref name="resourceName"/> at <paramref name="device"/> + <paramref name="offset"/>
    /// (CXL decoder reprogramming). The caches are not told: lines cached from the old device stay, and dirty ones
    /// are later written into the new device.
    /// </summary>
    public void Retarget(string resourceName, MemoryDevice device, ulong offset = 0)
    {
        var r = Map.Named(resourceName) ?? throw new ArgumentException($"no physical range named {resourceName}");
        device.CheckRange(offset, r.Size);
        var step = BeginStep();
        r.Device = device;
        r.DeviceOffset = offset;
        if (Observed)
        {
            Emit(new MachineEvent(EventKind.Retarget, step, -1, null, r.Start, 0, device.Index, false, 0, (long)offset));
        }
        EndStep();
    }

    /// <summary>
    /// An agent other than a CPU writes <paramref name="data"/> at physical <paramref name="address"/> straight to the
    /// device (non-coherent DMA): the caches do not see it. Returns the write's origin id.
    /// </summary>
    public uint DeviceWrite(ulong address, ReadOnlySpan<byte> data, string? tenant = null)
    {
        CheckPhysical(address, (ulong)data.Length);
        var step = BeginStep();
        var origin = Origins.Add(new Origin(OriginKind.DeviceWrite, step, -1, Origins.Tenant(tenant), Map.Resolve(address).Device.Index, 0));
        Span<byte> line = stackalloc byte[64];
        ReadOnlySpan<uint> ids = [origin];
        var done = 0;
        while (done < data.Length)
        {
            var a = address + (ulong)done;
            var lineAddr = a & ~63UL;
            var off = (int)(a - lineAddr);
            var n = Math.Min(64 - off, data.Length - done);
            data.Slice(done, n).CopyTo(line[off..]);
            var mask = n == 64 ? ulong.MaxValue : ((1UL << n) - 1) << off;
            WriteDeviceLine(lineAddr, line, ids, OriginGrain.Line, mask, -1, null, EventKind.DeviceWrite);
            done += n;
        }
        EndStep();
        return origin;
    }

    /// <summary>Throws naming the address when [address, address+length) is not inside one range of the map.</summary>
    public void CheckPhysical(ulong address, ulong length)
    {
        address = KeyIds.Strip(address);
        var r = Map.Resolve(address);
        if (length > 0 && (address + length - 1 < address || !r.Contains(address + length - 1)))
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"physical range 0x{address:x} + {length} leaves {r.Name}");
        }
    }

    /// <summary>Reads the persistent media (what would survive now, ignoring caches, buffers and locks) at a physical address.</summary>
    public void ReadMedia(ulong address, Span<byte> data, Span<uint> origins)
    {
        address = KeyIds.Strip(address);
        CheckPhysical(address, (ulong)data.Length);
        ReadLines(address, data, origins, coherent: false);
    }

    /// <summary>
    /// What a coherent observer would read at a physical address now: the dirty cached copy if there is one,
    /// else any cached copy, else the device (through its queue). Store and WC buffers are not included.
    /// Inspection only: no state changes, no events.
    /// </summary>
    public void PeekCoherent(ulong address, Span<byte> data, Span<uint> origins)
    {
        CheckPhysical(address, (ulong)data.Length);
        ReadLines(address, data, origins, coherent: true);
    }

    /// <summary>Copies [<paramref name="address"/>, +data.Length) line by line from the media, or, when
    /// <paramref name="coherent"/>, from the cache holding the line (a dirty copy first) and from its device otherwise.</summary>
    private void ReadLines(ulong address, Span<byte> data, Span<uint> origins, bool coherent)
    {
        Span<byte> line = stackalloc byte[64];
        Span<uint> lineOrigins = stackalloc uint[64];
        var done = 0;
        while (done < data.Length)
        {
            var a = address + (ulong)done;
            var lineAddr = a & ~63UL;
            var off = (int)(a - lineAddr);
            var n = Math.Min(64 - off, data.Length - done);
            var (k, slot) = coherent ? FindDirtyOrAny(lineAddr) : (-1, -1);
            if (k >= 0)
            {
                Memory.Cache(k).Payload.Data(slot).CopyTo(line);
                Memory.Cache(k).Payload.ReadOrigins(slot, 0, lineOrigins);
            }
            else if (coherent)
            {
                ReadDeviceLineBytes(lineAddr, line, lineOrigins);
            }
            else
            {
                var r = Map.Resolve(lineAddr);
                r.Device.ReadMedia(r.DeviceOffset + (lineAddr - r.Start), line, lineOrigins);
            }
            line.Slice(off, n).CopyTo(data[done..]);
            if (!origins.IsEmpty)
            {
                lineOrigins.Slice(off, n).CopyTo(origins[done..]);
            }
            done += n;
        }
    }

    private (int Cache, int Slot) FindDirtyOrAny(ulong line)
    {
        var any = (-1, -1);
        for (var k = 0; k < Memory.CacheCount; k++)
        {
            var slot = Memory.Cache(k).Find(line);
            if (slot < 0)
            {
                continue;
            }
            if (Memory.Cache(k).StateOf(slot).IsDirty())
            {
                return (k, slot);
            }
            any = (k, slot);
        }
        return any;
    }

    /// <summary>Lists every cache holding the physical line of <paramref name="address"/>, with its state.</summary>
    public IReadOnlyList<(string Cache, LineState State)> WhereCached(ulong address)
    {
        var line = address & ~63UL;
        var list = new List<(string, LineState)>();
        for (var k = 0; k < Memory.CacheCount; k++)
        {
            var slot = Memory.Cache(k).Find(line);
            if (slot >= 0)
            {
                list.Add((Memory.Cache(k).Name, Memory.Cache(k).StateOf(slot)));
            }
        }
        return list;
    }

    /// <summary>Identity-maps nothing: returns the resource backing <paramref name="address"/> (or throws naming it).</summary>
    public Resource ResourceAt(ulong address) => Map.Resolve(address);
}
