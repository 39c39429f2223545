using Coherence.Kernel.Nvdimm;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;
using Coherence.Platform.Provenance;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Nvdimm;

/// <summary>
/// The invalidation the tests plug in where memregion will be: WBINVD executed on every CPU of the machine
/// (<c>wbinvd_on_all_cpus</c>); unavailable (-ENXIO, nothing done) when a CPU runs as a guest.
/// </summary>
internal sealed class WbinvdAllCpusInvalidator(Machine machine) : ICacheInvalidator
{
    public List<(ulong Start, ulong Length)> Calls { get; } = [];

    public bool HasInvalidate
    {
        get
        {
            foreach (var c in machine.Cpus)
            {
                if (c.HypervisorBit)
                {
                    return false;
                }
            }
            return true;
        }
    }

    public int Invalidate(ulong start, ulong length)
    {
        Calls.Add((start, length));
        if (!HasInvalidate)
        {
            return -(int)Errno.ENXIO;
        }
        foreach (var cpu in machine.X86)
        {
            Assert.Equal(AccessOutcome.Ok, cpu.Wbinvd());
        }
        return 0;
    }
}

/// <summary>An invalidator that only records calls; <see cref="HasInvalidate"/> is settable (false: a VM).</summary>
internal sealed class RecordingInvalidator : ICacheInvalidator
{
    public List<(ulong Start, ulong Length)> Calls { get; } = [];

    public bool HasInvalidate { get; set; } = true;

    public int Invalidate(ulong start, ulong length)
    {
        Calls.Add((start, length));
        return HasInvalidate ? 0 : -(int)Errno.ENXIO;
    }
}

/// <summary>A small machine: an NVDIMM at 4 GiB (1 MiB) and a CXL window at 8 GiB (256 MiB) over two CXL devices.</summary>
internal sealed class KernelMachine
{
    public const ulong Pmem = 0x1_0000_0000;
    public const ulong PmemSize = 1 << 20;
    public const ulong Cxl = 0x2_0000_0000;
    public const ulong CxlSize = 256UL << 20;

    public KernelMachine(LockedReadMode lockedReadMode = LockedReadMode.Poison)
    {
        Machine = new Machine(new PlatformConfig
        {
            Sockets = 1,
            CoresPerSocket = 2,
            L1 = new CacheConfig(4096, 4),
            L2 = new CacheConfig(8192, 4),
            Llc = new CacheConfig(16384, 8),
        });
        NvdimmDevice = Machine.AddDevice("nmem0", DeviceKind.Nvdimm, PmemSize, lockedReadMode: lockedReadMode);
        Cxl0 = Machine.AddDevice("cxl0", DeviceKind.CxlType3, CxlSize, persistent: true, lockedReadMode: lockedReadMode);
        Cxl1 = Machine.AddDevice("cxl1", DeviceKind.CxlType3, CxlSize, persistent: true, lockedReadMode: lockedReadMode);
        Machine.AddResource("pmem0", Pmem, PmemSize, ResourceKind.PersistentMemory, NvdimmDevice);
        Machine.AddResource("cxl-window0", Cxl, CxlSize, ResourceKind.CxlWindow, Cxl0);
        Invalidator = new WbinvdAllCpusInvalidator(Machine);
    }

    public Machine Machine { get; }

    public MemoryDevice NvdimmDevice { get; }

    public MemoryDevice Cxl0 { get; }

    public MemoryDevice Cxl1 { get; }

    public WbinvdAllCpusInvalidator Invalidator { get; }

    public (byte[] Data, Origin[] Origins, AccessOutcome Outcome) Load(int cpu, ulong address, int length = 8)
    {
        var data = new byte[length];
        var origins = new uint[length];
        var outcome = Machine.X86[cpu].Load(address, data, origins);
        var o = new Origin[length];
        for (var i = 0; i < length; i++)
        {
            o[i] = Machine.Origins[origins[i]];
        }
        return (data, o, outcome);
    }

    public void Store(int cpu, ulong address, byte[] data, string tenant) =>
        Assert.Equal(AccessOutcome.Ok, Machine.X86[cpu].Store(address, data, tenant));

    public byte[] Media(ulong address, int length = 8)
    {
        var data = new byte[length];
        Machine.ReadMedia(address, data, new uint[length]);
        return data;
    }

    public byte[] DeviceMedia(MemoryDevice device, ulong offset, int length = 8)
    {
        var line = new byte[64];
        device.ReadMedia(offset & ~63UL, line, new uint[64]);
        return line.AsSpan((int)(offset & 63), length).ToArray();
    }
}
