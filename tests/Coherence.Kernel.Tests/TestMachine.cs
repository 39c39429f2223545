using Coherence.Kernel.Boot;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Caches;
using Coherence.Platform.Cpus;
using Coherence.Platform.Devices;
using Coherence.Platform.Isa.Arm64;
using Coherence.Platform.Persistence;

namespace Coherence.Kernel.Tests;

/// <summary>A small machine with a pmem range at 4 GiB and a CXL window at 8 GiB, and helpers over it.</summary>
internal static class TestMachine
{
    public const ulong Pmem = 0x1_0000_0000;
    public const ulong Cxl = 0x2_0000_0000;

    public static Machine Create(int sockets = 1, int cores = 2, GuestKind guest = GuestKind.Host)
    {
        var m = new Machine(new PlatformConfig
        {
            Sockets = sockets,
            CoresPerSocket = cores,
            L1 = new CacheConfig(4096, 4),
            L2 = new CacheConfig(8192, 4),
            Llc = new CacheConfig(16384, 8),
        });
        var nv = m.AddDevice("nmem0", DeviceKind.Nvdimm, 1 << 20);
        var cxl = m.AddDevice("cxl0", DeviceKind.CxlType3, 1 << 20, persistent: true);
        m.AddResource("pmem0", Pmem, 1 << 20, ResourceKind.PersistentMemory, nv);
        m.AddResource("cxl-window0", Cxl, 1 << 20, ResourceKind.CxlWindow, cxl);
        foreach (var c in m.Cpus)
        {
            c.Guest = guest;
        }
        return m;
    }

    /// <summary>An AArch64 machine (two cores, the same small caches) with an NVDIMM behind the pmem range and a
    /// chooser that never runs background actions, so a write-pending queue drains only when told to.</summary>
    public static Machine CreateArm64(Arm64Features features, PersistenceDomain domain)
    {
        var m = new Machine(new PlatformConfig
        {
            CoresPerSocket = 2,
            Persistence = domain,
            InstructionSet = InstructionSet.Arm64,
            Arm64Features = features,
            L1 = new CacheConfig(4096, 4),
            L2 = new CacheConfig(8192, 4),
            Llc = new CacheConfig(16384, 8),
        }, new NoBackgroundChooser());
        var nv = m.AddDevice("nmem0", DeviceKind.Nvdimm, 1 << 20);
        m.AddResource("pmem0", Pmem, 1 << 20, ResourceKind.PersistentMemory, nv);
        return m;
    }

    public static KernelModel Boot(int sockets = 1, int cores = 2, GuestKind guest = GuestKind.Host, KernelConfig? config = null) =>
        KernelModel.Boot(Create(sockets, cores, guest), config);

    /// <summary>Stores one byte on <paramref name="cpu"/> and lets it reach the cache (dirty).</summary>
    public static void Dirty(Machine m, int cpu, ulong pa, byte value = 0xAB)
    {
        Assert.Equal(AccessOutcome.Ok, m.X86[cpu].Store(pa, [value]));
        m.X86[cpu].Mfence();
    }

    /// <summary>True when any cache holds the line of <paramref name="pa"/>.</summary>
    public static bool Cached(Machine m, ulong pa) => m.WhereCached(pa).Count > 0;

    public static byte Media(Machine m, ulong pa)
    {
        Span<byte> b = stackalloc byte[1];
        m.ReadMedia(pa, b, default);
        return b[0];
    }

    /// <summary>The <paramref name="length"/> bytes on the media at <paramref name="address"/>.</summary>
    public static byte[] Media(Machine m, ulong address, int length)
    {
        var b = new byte[length];
        m.ReadMedia(address, b, default);
        return b;
    }

    /// <summary>True when any cache holds a line of [<paramref name="address"/>, +<paramref name="length"/>) dirty.</summary>
    public static bool AnyDirty(Machine m, ulong address, int length)
    {
        for (var line = address & ~63UL; line < address + (ulong)length; line += 64)
        {
            if (m.WhereCached(line).Any(c => c.State.IsDirty()))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><paramref name="n"/> bytes counting up from <paramref name="seed"/> (mod 256).</summary>
    public static byte[] Bytes(int n, int seed = 1) => [.. Enumerable.Range(seed, n).Select(i => (byte)i)];
}
