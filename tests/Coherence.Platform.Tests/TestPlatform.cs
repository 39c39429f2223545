using Coherence.Platform.Addressing;
using Coherence.Platform.Caches;
using Coherence.Platform.Choice;
using Coherence.Platform.Devices;
using Coherence.Platform.Isa.Arm64;
using Coherence.Platform.Persistence;

namespace Coherence.Platform.Tests;

/// <summary>A small machine: DRAM at 0, an NVDIMM at 4 GiB, a CXL window at 8 GiB backed by cxl0 (cxl1 spare).</summary>
internal sealed class TestPlatform
{
    public const ulong Dram = 0x0;
    public const ulong Pmem = 0x1_0000_0000;
    public const ulong Cxl = 0x2_0000_0000;

    public TestPlatform(PersistenceDomain domain = PersistenceDomain.Adr, int sockets = 1, int cores = 2, IChooser? chooser = null,
        bool spontaneous = false, bool speculative = false, CacheConfig? l1 = null, Arm64Features arm64 = Arm64Features.All)
    {
        Machine = new Machine(new PlatformConfig
        {
            Sockets = sockets,
            CoresPerSocket = cores,
            Persistence = domain,
            L1 = l1 ?? new CacheConfig(4096, 4),
            L2 = new CacheConfig(8192, 4),
            Llc = new CacheConfig(16384, 8),
            SpontaneousEvictions = spontaneous,
            SpeculativeFetch = speculative,
            Arm64Features = arm64,
        }, chooser);
        DramDevice = Machine.AddDevice("dram0", DeviceKind.Dram, 1 << 20);
        Nvdimm = Machine.AddDevice("nmem0", DeviceKind.Nvdimm, 1 << 20);
        Cxl0 = Machine.AddDevice("cxl0", DeviceKind.CxlType3, 1 << 20, persistent: true);
        Cxl1 = Machine.AddDevice("cxl1", DeviceKind.CxlType3, 1 << 20, persistent: true);
        Machine.AddResource("ram", Dram, 1 << 20, ResourceKind.SystemRam, DramDevice);
        Machine.AddResource("pmem0", Pmem, 1 << 20, ResourceKind.PersistentMemory, Nvdimm);
        Machine.AddResource("cxl-window0", Cxl, 1 << 20, ResourceKind.CxlWindow, Cxl0);
    }

    public Machine Machine { get; }

    public MemoryDevice DramDevice { get; }

    public MemoryDevice Nvdimm { get; }

    public MemoryDevice Cxl0 { get; }

    public MemoryDevice Cxl1 { get; }

    public Coherence.Platform.Isa.X86.X86Cpu Cpu(int i) => Machine.X86[i];

    public ulong Read64(int cpu, ulong va)
    {
        var outcome = Machine.X86[cpu].LoadValue(va, 8, out var v);
        Assert.Equal(AccessOutcome.Ok, outcome);
        return v;
    }

    public (ulong Value, uint[] Origins) Read64WithOrigins(int cpu, ulong va)
    {
        var data = new byte[8];
        var origins = new uint[8];
        Assert.Equal(AccessOutcome.Ok, Machine.X86[cpu].Load(va, data, origins));
        return (BitConverter.ToUInt64(data), origins);
    }

    public void Write64(int cpu, ulong va, ulong value, string? tenant = null) =>
        Assert.Equal(AccessOutcome.Ok, Machine.X86[cpu].StoreValue(va, 8, value, tenant));

    public ulong Media64(ulong pa)
    {
        var data = new byte[8];
        Machine.ReadMedia(pa, data, default);
        return BitConverter.ToUInt64(data);
    }

    public LineState StateIn(string cache, ulong pa)
    {
        foreach (var (name, state) in Machine.WhereCached(pa))
        {
            if (name == cache)
            {
                return state;
            }
        }
        return LineState.Invalid;
    }

    /// <summary>Checks the machine-wide invariants: at most one dirty copy per line, equal bytes in every copy,
    /// a Modified or Exclusive copy is the only copy.</summary>
    public void AssertCoherenceInvariants()
    {
        var seen = new Dictionary<ulong, List<(int Cache, int Slot, LineState State)>>();
        for (var k = 0; k < Machine.CacheCount; k++)
        {
            var c = Machine.Cache(k);
            for (var s = 0; s < c.SlotCount; s++)
            {
                var st = c.StateOf(s);
                if (st == LineState.Invalid)
                {
                    continue;
                }
                var line = c.AddressOf(s);
                if (!seen.TryGetValue(line, out var list))
                {
                    seen[line] = list = [];
                }
                list.Add((k, s, st));
            }
        }
        foreach (var (line, copies) in seen)
        {
            var dirty = copies.Count(c => c.State.IsDirty());
            Assert.True(dirty <= 1, $"line 0x{line:x} is dirty in {dirty} caches");
            if (copies.Any(c => c.State.IsSole()))
            {
                Assert.True(copies.Count == 1, $"line 0x{line:x} is Modified or Exclusive but has {copies.Count} copies");
            }
            var first = copies[0];
            var d0 = Machine.Cache(first.Cache).Payload.Data(first.Slot).ToArray();
            var o0 = OriginsOf(first.Cache, first.Slot);
            foreach (var c in copies.Skip(1))
            {
                Assert.Equal(d0, Machine.Cache(c.Cache).Payload.Data(c.Slot).ToArray());
                Assert.Equal(o0, OriginsOf(c.Cache, c.Slot));
            }
        }
    }

    /// <summary>The origin of each byte of a cached line (expanded from the slot's grain).</summary>
    private uint[] OriginsOf(int cache, int slot)
    {
        var origins = new uint[64];
        Machine.Cache(cache).Payload.ReadOrigins(slot, 0, origins);
        return origins;
    }
}
