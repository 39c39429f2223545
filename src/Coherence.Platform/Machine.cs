using Coherence.Platform.Addressing;
using Coherence.Platform.Choice;
using Coherence.Platform.Cpus;
using Coherence.Platform.Devices;
using Coherence.Platform.Events;
using Coherence.Platform.Isa.X86;
using Coherence.Platform.Memory;
using Coherence.Platform.Provenance;

namespace Coherence.Platform;

/// <summary>
/// The simulated platform: physical address map, devices, CPUs with caches and buffers, a persistence domain.
/// Every nondeterministic decision goes through <see cref="Chooser"/>; every state change is reported to
/// <see cref="Observer"/>. Not thread-safe: one machine is driven by one thread.
/// </summary>
public sealed partial class Machine
{
    private readonly List<MemoryDevice> devices = [];
    private readonly List<uint> poisonOrigins = [];
    private readonly List<MachineCheckRecord> machineChecks = [];
    private IMachineObserver? observer;

    /// <summary>Creates a machine of the given shape with no devices; throws naming the first bad value.</summary>
    public Machine(PlatformConfig config, IChooser? chooser = null)
    {
        config.Validate();
        Config = config;
        Chooser = chooser ?? PlainChooser.Instance;
        DefaultSpace = new AddressSpace("kernel");
        Memory = new MemorySystem(this, config);
        var cpus = new CpuCore[config.CpuCount];
        var isa = new X86Cpu[config.CpuCount];
        for (var i = 0; i < cpus.Length; i++)
        {
            cpus[i] = new CpuCore(i, i / config.CoresPerSocket, Memory.L1(i), Memory.L2(i), config.StoreBufferEntries, config.WcBuffers, DefaultSpace);
            isa[i] = new X86Cpu(this, cpus[i]);
        }
        Cpus = cpus;
        X86 = isa;
        cpuArray = cpus;
        isaArray = isa;
        adversary = config.SpontaneousEvictions || config.SpeculativeFetch;
    }

    private readonly CpuCore[] cpuArray;
    private readonly X86Cpu[] isaArray;
    private readonly bool adversary;
    private uint[] poisonIds = [];

    /// <summary>The machine's shape.</summary>
    public PlatformConfig Config { get; }

    /// <summary>Makes every nondeterministic decision.</summary>
    public IChooser Chooser { get; set; }

    /// <summary>Receives every event, or null (no events are built then).</summary>
    public IMachineObserver? Observer
    {
        get => observer;
        set => observer = value;
    }

    /// <summary>True when an observer is attached.</summary>
    internal bool Observed => observer is not null;

    /// <summary>The current step: incremented by every instruction and machine operation.</summary>
    public long Step { get; private set; }

    /// <summary>The physical address map.</summary>
    public AddressMap Map { get; } = new();

    /// <summary>Every origin the machine has produced.</summary>
    public OriginTable Origins { get; } = new();

    /// <summary>The address space CPUs start with; <see cref="AddResource"/> identity-maps each resource into it.</summary>
    public AddressSpace DefaultSpace { get; }

    /// <summary>The CPU cores, socket-major.</summary>
    public IReadOnlyList<CpuCore> Cpus { get; }

    /// <summary>The x86 instruction interface of each core.</summary>
    public IReadOnlyList<X86Cpu> X86 { get; }

    /// <summary>The devices in creation order.</summary>
    public IReadOnlyList<MemoryDevice> Devices => devices;

    /// <summary>Machine checks raised so far.</summary>
    public IReadOnlyList<MachineCheckRecord> MachineChecks => machineChecks;

    internal MemorySystem Memory { get; }

    /// <summary>Number of caches (L1 and L2 per core, one LLC per socket).</summary>
    public int CacheCount => Memory.CacheCount;

    /// <summary>Cache <paramref name="k"/> (0 ≤ k &lt; <see cref="CacheCount"/>).</summary>
    public ModelCache Cache(int k) => Memory.Cache(k);

    /// <summary>The level of cache <paramref name="k"/>.</summary>
    public CacheLevel CacheLevelOf(int k) => Memory.LevelOf(k);

    /// <summary>The socket's shared last-level cache.</summary>
    public ModelCache Llc(int socket) => Memory.Llc(socket);

    internal void Emit(in MachineEvent e) => observer?.OnEvent(e);

    internal long BeginStep() => ++Step;

    /// <summary>Asks the chooser and checks the answer is legal.</summary>
    internal int Decide(ChoiceKind kind, int count, int defaultOption)
    {
        if (count <= 1)
        {
            return 0;
        }
        if (ReferenceEquals(Chooser, PlainChooser.Instance))
        {
            return defaultOption; // what PlainChooser answers, without the interface call on every eviction
        }
        var c = Chooser.Choose(kind, count, defaultOption);
        if ((uint)c >= (uint)count)
        {
            throw new InvalidOperationException($"chooser answered {c} to a {kind} decision with {count} options at step {Step}");
        }
        return c;
    }

    /// <summary>Asks the chooser a decision on behalf of a layer above (thread choice, power failure point...).</summary>
    public int Choose(ChoiceKind kind, int count, int defaultOption = 0) => Decide(kind, count, defaultOption);

    /// <summary>
    /// Adds a device. Untouched lines read as <paramref name="initialFill"/>. Throws naming the value when the name is
    /// taken or the capacity is not a positive multiple of 4 KiB; the machine is then unchanged.
    /// </summary>
    public MemoryDevice AddDevice(string name, DeviceKind kind, ulong capacity, bool? persistent = null,
        LockedReadMode lockedReadMode = LockedReadMode.Poison, byte initialFill = 0)
    {
        if (capacity == 0 || capacity % 4096 != 0)
        {
            throw new ArgumentException($"device {name} capacity 0x{capacity:x} must be a positive multiple of 4 KiB");
        }
        foreach (var d in devices)
        {
            if (d.Name == name)
            {
                throw new ArgumentException($"device name {name} is already used");
            }
        }
        var device = new MemoryDevice(devices.Count, name, kind, capacity, persistent ?? kind != DeviceKind.Dram, lockedReadMode);
        var initial = Origins.Add(new Origin(OriginKind.Initial, Step, -1, 0, device.Index, 0));
        device.StartEpoch(initialFill, initial, bumpEpoch: false);
        device.PoisonOrigin = Origins.Add(new Origin(OriginKind.Poison, Step, -1, 0, device.Index, 0));
        device.LockedOrigin = Origins.Add(new Origin(OriginKind.LockedAllOnes, Step, -1, 0, device.Index, 0));
        device.TdPrivateOrigin = Origins.Add(new Origin(OriginKind.TdPrivate, Step, -1, 0, device.Index, 0));
        poisonOrigins.Add(device.PoisonOrigin);
        poisonIds = [.. poisonOrigins];
        devices.Add(device);
        return device;
    }

    /// <summary>Returns the device named <paramref name="name"/>; throws naming it when absent.</summary>
    public MemoryDevice Device(string name)
    {
        foreach (var d in devices)
        {
            if (d.Name == name)
            {
                return d;
            }
        }
        throw new ArgumentException($"no device named {name}");
    }

    /// <summary>
    /// Adds a physical range backed by <paramref name="device"/> at <paramref name="deviceOffset"/> and identity-maps it
    /// into <see cref="DefaultSpace"/> (write-back, or uncached for reserved ranges). Throws naming the offending value
    /// for overlap, misalignment or a range past the device's end; the machine is then unchanged.
    /// </summary>
    public Resource AddResource(string name, ulong start, ulong size, ResourceKind kind, MemoryDevice device, ulong deviceOffset = 0, bool identityMap = true)
    {
        AddressMap.Validate(Map.Resources, name, start, size, device, deviceOffset);
        if (Config.Tdx is not null && start + size > KeyIds.PhysicalMask + 1)
        {
            throw new ArgumentException($"resource {name} [0x{start:x}, size 0x{size:x}] reaches past 2^{KeyIds.Shift}: on a TDX platform the bits above hold the KeyID");
        }
        if (identityMap)
        {
            foreach (var m in DefaultSpace.Mappings)
            {
                if (start < m.VirtualStart + m.Size && m.VirtualStart < start + size)
                {
                    throw new ArgumentException($"resource {name} at 0x{start:x} overlaps an existing mapping of {DefaultSpace.Name} at va 0x{m.VirtualStart:x}");
                }
            }
        }
        var r = Map.Add(name, start, size, kind, device, deviceOffset);
        if (identityMap)
        {
            DefaultSpace.Map(start, start, size, kind == ResourceKind.Reserved ? MemoryType.Uncached : MemoryType.WriteBack);
        }
        return r;
    }

    /// <summary>True when <paramref name="origin"/> is poison.</summary>
    internal bool IsPoison(uint origin)
    {
        foreach (var p in poisonIds)
        {
            if (p == origin)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Index of the first poisoned origin in <paramref name="origins"/>, or -1 (checks each run of equal ids once).</summary>
    internal int FirstPoison(ReadOnlySpan<uint> origins)
    {
        var last = 0u;
        for (var i = 0; i < origins.Length; i++)
        {
            var o = origins[i];
            if (o != last)
            {
                if (IsPoison(o))
                {
                    return i;
                }
                last = o;
            }
        }
        return -1;
    }

    internal CpuCore CpuAt(int i) => cpuArray[i];

    internal void RecordMachineCheck(int cpu, ulong address, uint origin)
    {
        machineChecks.Add(new MachineCheckRecord(Step, cpu, address, origin));
        if (Observed)
        {
            Emit(new MachineEvent(EventKind.MachineCheck, Step, cpu, null, address, 1, Origins[origin].Device, false, origin, 0));
        }
    }

    /// <summary>Reads one line from whatever device backs physical line <paramref name="line"/> now; the origins come
    /// as ids in the returned grain (<paramref name="ids"/> needs room for 64).</summary>
    internal OriginGrain ReadDeviceLine(ulong line, Span<byte> data, Span<uint> ids)
    {
        var pa = KeyIds.Strip(line);
        var r = Map.Resolve(pa);
        var grain = r.Device.Read(r.DeviceOffset + (pa - r.Start), data, ids);
        return Config.Tdx is null ? grain : FilterTdRead(pa, KeyIds.Of(line), r.Device, data, ids, grain);
    }

    /// <summary>Reads one line from whatever device backs it now, with one origin per byte.</summary>
    internal void ReadDeviceLineBytes(ulong line, Span<byte> data, Span<uint> origins)
    {
        Span<uint> ids = stackalloc uint[64];
        ReadDeviceLine(line, data, ids).Expand(ids, 0, origins[..64]);
    }

    /// <summary>Writes the selected bytes of one line to whatever device backs it now (the WPQ when the domain says so).</summary>
    /// <remarks>The origins are ids in <paramref name="grain"/> (see <see cref="OriginGrain"/>).</remarks>
    internal void WriteDeviceLine(ulong line, ReadOnlySpan<byte> data, ReadOnlySpan<uint> ids, OriginGrain grain, ulong mask, int cpu, string? cache, EventKind kind)
    {
        var pa = KeyIds.Strip(line);
        var r = Map.Resolve(pa);
        var device = r.Device;
        var offset = r.DeviceOffset + (pa - r.Start);
        var queued = Config.Persistence == Persistence.PersistenceDomain.None && device.IsPersistent;
        if (Config.Tdx is not null)
        {
            if (Observed)
            {
                CheckOverwroteNewer(line, device, offset, ids, grain, mask, cpu);
            }
            var action = TdWrite(pa, KeyIds.Of(line), device, offset, mask, cpu);
            if (action == TdWriteAction.Poisoned)
            {
                return;
            }
            if (action == TdWriteAction.WriteConverted)
            {
                Span<byte> merged = stackalloc byte[64];
                Span<uint> mergedIds = stackalloc uint[64];
                MergeConverted(device, data, ids, grain, mask, merged, mergedIds);
                device.Write(offset, merged, mergedIds, OriginGrain.Byte, ulong.MaxValue, queued);
                EmitWrite(line, ids, grain, mask, cpu, cache, kind, device, true);
                return;
            }
        }
        var ok = device.Write(offset, data, ids, grain, mask, queued);
        EmitWrite(line, ids, grain, mask, cpu, cache, kind, device, ok);
    }

    private void EmitWrite(ulong line, ReadOnlySpan<uint> ids, OriginGrain grain, ulong mask, int cpu, string? cache, EventKind kind, MemoryDevice device, bool ok)
    {
        if (Observed)
        {
            var written = System.Numerics.BitOperations.PopCount(mask);
            var low = System.Numerics.BitOperations.TrailingZeroCount(mask);
            var first = grain.At(ids, low);
            if (kind == EventKind.DeviceWrite)
            {
                // A device write names the bytes it covers: from its first to its last written byte.
                var span = 64 - System.Numerics.BitOperations.LeadingZeroCount(mask) - low;
                Emit(new MachineEvent(ok ? kind : EventKind.WriteDropped, Step, cpu, cache, line + (ulong)low, span, device.Index, true, first, 0));
                return;
            }
            Emit(new MachineEvent(ok ? kind : EventKind.WriteDropped, Step, cpu, cache, line, written, device.Index, true, first, 0));
        }
    }

    /// <summary>Writes a whole cached line back to its device (origins as ids in <paramref name="grain"/>).</summary>
    internal void WriteBackLine(string cache, int cpu, ulong line, ReadOnlySpan<byte> data, ReadOnlySpan<uint> ids, OriginGrain grain) =>
        WriteDeviceLine(line, data, ids, grain, ulong.MaxValue, cpu, cache, EventKind.WriteBack);
}
