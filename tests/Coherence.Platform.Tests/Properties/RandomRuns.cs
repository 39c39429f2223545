using Coherence.Platform.Addressing;
using Coherence.Platform.Choice;
using Coherence.Platform.Devices;
using Coherence.Platform.Persistence;

namespace Coherence.Platform.Tests.Properties;

/// <summary>One random operation: which CPU, what, where (a line of a small colliding region), a value.</summary>
internal readonly record struct Op(int Cpu, int Kind, int Line, int Offset, ulong Value);

/// <summary>Builds tiny machines (caches of a few lines, so evictions are frequent) and runs random operations.</summary>
internal static class RandomRuns
{
    public const ulong Base = 0x1_0000_0000;

    public static Machine NewMachine(IChooser chooser, bool adversary = true) =>
        NewMachine(chooser, adversary, PersistenceDomain.Adr);

    public static Machine NewMachine(IChooser chooser, bool adversary, PersistenceDomain domain)
    {
        var m = new Machine(new PlatformConfig
        {
            Sockets = 2,
            CoresPerSocket = 2,
            L1 = new CacheConfig(256, 2),
            L2 = new CacheConfig(512, 2),
            Llc = new CacheConfig(1024, 4),
            StoreBufferEntries = 4,
            WcBuffers = 2,
            SpontaneousEvictions = adversary,
            SpeculativeFetch = adversary,
            MaxBackgroundPerStep = 16,
            Persistence = domain,
        }, chooser);
        var d = m.AddDevice("nmem0", DeviceKind.Nvdimm, 1 << 20);
        m.AddResource("pmem0", Base, 1 << 20, ResourceKind.PersistentMemory, d);
        return m;
    }

    /// <summary>Line <paramref name="line"/> of the region: lines 0x100 apart share sets in every cache level.</summary>
    public static ulong Address(int line, int offset) => Base + ((ulong)line * 0x100) + (ulong)offset;

    /// <summary>Executes one operation; kinds 0-1 load, 2-3 store, 4 CLFLUSH, 5 CLFLUSHOPT, 6 CLWB, 7 SFENCE,
    /// 8 MFENCE, 9 locked add, 10 WBINVD, 11 MOVNTI, 12 MOVDIR64B.</summary>
    public static AccessOutcome Execute(Machine m, in Op op, Span<byte> loaded, Span<uint> origins)
    {
        var cpu = m.X86[op.Cpu];
        var va = Address(op.Line, op.Offset);
        Span<byte> v = stackalloc byte[8];
        BitConverter.TryWriteBytes(v, op.Value);
        switch (op.Kind)
        {
            case 0:
            case 1:
                return cpu.Load(va, loaded[..8], origins[..8]);
            case 2:
            case 3:
                return cpu.Store(va, v, "t" + op.Cpu);
            case 4:
                return cpu.Clflush(va);
            case 5:
                return cpu.ClflushOpt(va);
            case 6:
                return cpu.Clwb(va);
            case 7:
                cpu.Sfence();
                return AccessOutcome.Ok;
            case 8:
                cpu.Mfence();
                return AccessOutcome.Ok;
            case 9:
                return cpu.LockedRmw(va, 8, Coherence.Platform.Isa.X86.LockedOp.Add, op.Value, out _);
            case 10:
                return cpu.Wbinvd();
            case 11:
                return cpu.StoreNonTemporal(va, v);
            default:
                Span<byte> line = stackalloc byte[64];
                line.Fill((byte)op.Value);
                return cpu.DirectStore64(va & ~63UL, line);
        }
    }
}
