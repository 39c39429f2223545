using Coherence.Kernel.Boot;
using Coherence.Kernel.Cxl;
using Coherence.Kernel.Kexec;
using Coherence.Kernel.Memregion;
using Coherence.Kernel.Nvdimm;
using Coherence.Kernel.Tdx;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;

namespace Coherence.Checking.Scenarios;

/// <summary>
/// <c>cpu_cache_has_invalidate_memregion()</c> / <c>cpu_cache_invalidate_memregion()</c> for the NVDIMM and CXL code:
/// the booted kernel's memregion facility under its policy. Results are the kernel's int convention (0 or -errno).
/// </summary>
public sealed class MemregionInvalidator(KernelModel kernel) : ICacheInvalidator
{
    /// <inheritdoc/>
    public bool HasInvalidate => kernel.CpuCache.HasInvalidateMemregion();

    /// <inheritdoc/>
    public int Invalidate(ulong start, ulong length) => -(int)kernel.CpuCache.InvalidateMemregion(start, length);
}

/// <summary>
/// The kernel of one scenario execution, booted on first use: the memregion facility, the NVDIMM bus (one Intel DSM
/// DIMM per <c>nvdimm</c> device, one region per pmem range backed by one), the CXL subsystem (one host bridge, one
/// root decoder per <c>cxl-window</c> range, one memdev per <c>cxl</c> device with its first endpoint decoder set to
/// pmem over the whole device), the module loader, a key ring, one delayed-work clock and one driver log. Policies
/// come from the execution (<see cref="Policies"/>).
/// </summary>
public sealed class KernelContext
{
    private readonly Machine machine;
    private readonly Dictionary<string, int> keySerials = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IntelDsmDimm Firmware, IntelNvdimmSecurityOps Ops)> firmware = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Nvdimm> dimms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NdRegion> regions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CxlRootDecoder> roots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CxlMemdev> memdevs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CxlRegion> cxlRegions = new(StringComparer.Ordinal);
    private int warningsSeen;
    private int splatsSeen;
    private int kernelLogSeen;
    private int driverLogSeen;

    /// <summary>Boots the kernel on <paramref name="machine"/> under <paramref name="policies"/>.</summary>
    public KernelContext(Machine machine, IReadOnlyDictionary<string, string> policies)
    {
        this.machine = machine;
        var memregion = policies.GetValueOrDefault("memregion", "x86-all-cpus") switch
        {
            "x86-local-cpu" => MemregionPolicy.X86LocalCpu,
            "registry" => MemregionPolicy.Registry,
            "none" => MemregionPolicy.None,
            _ => MemregionPolicy.X86AllCpus,
        };
        var nvdimm = policies.GetValueOrDefault("nvdimm-flush", "v6.2") switch
        {
            "v5.0" => NvdimmFlushPolicy.V5_0,
            "none" => NvdimmFlushPolicy.None,
            _ => NvdimmFlushPolicy.V6_2,
        };
        var cxl = policies.GetValueOrDefault("cxl-region", "v6.5") switch
        {
            "v6.2" => CxlRegionPolicy.V6_2,
            "none" => CxlRegionPolicy.None,
            _ => CxlRegionPolicy.V6_5,
        };
        TdxKexecPolicy = TdxKexecPolicies.Parse(policies.GetValueOrDefault("tdx-kexec", "upstream"));
        TdxReclaimPolicy = TdxReclaimPolicies.Parse(policies.GetValueOrDefault("tdx-reclaim", "upstream"));
        Kernel = KernelModel.Boot(machine, new KernelConfig { MemregionPolicy = memregion });
        Invalidator = new MemregionInvalidator(Kernel);
        Bus = new NvdimmBus(Invalidator, nvdimm, DriverLog, Keys, Work);
        Cxl = new CxlSubsystem(machine, Invalidator, new CxlRegionOptions { Policy = cxl }, DriverLog, Work);
        var hostBridge = Cxl.AddHostBridge("host0");
        foreach (var d in machine.Devices)
        {
            if (d.Kind == DeviceKind.Nvdimm)
            {
                // The firmware finishes an overwrite 10 s after it starts: the region stays busy until a query sees it done.
                var fw = new IntelDsmDimm(machine, d, Work) { OverwriteSeconds = 10 };
                firmware[d.Name] = (fw, new IntelNvdimmSecurityOps(fw, Bus));
            }
            else if (d.Kind == DeviceKind.CxlType3)
            {
                var memdev = Cxl.AddMemdev(d.Name, new CxlMemdevFirmware(machine, d, Work), hostBridge);
                var ep = memdev.Endpoint!.Decoders[0];
                if (ep.SetMode(CxlDecoderMode.Pmem) != Errno.Ok || ep.AllocateDpa(d.Capacity) != Errno.Ok)
                {
                    throw new ArgumentException($"cannot give {d.Name}'s endpoint decoder its {d.Capacity} bytes of DPA");
                }
                memdevs[d.Name] = memdev;
            }
        }
        foreach (var r in machine.Map.Resources)
        {
            if (r.Kind == ResourceKind.CxlWindow)
            {
                roots[r.Name] = Cxl.AddRootDecoder(r.Name, hostBridge);
            }
        }
    }

    /// <summary>The booted kernel (memregion, modules, log, warnings).</summary>
    public KernelModel Kernel { get; }

    private TdxHost? tdx;
    private KvmTdx? kvmTdx;
    private KexecModel? kexec;

    /// <summary>The TDX host side under policy <c>tdx-kexec=</c> (created on first use).</summary>
    public TdxHost Tdx => tdx ??= new TdxHost(Kernel, TdxKexecPolicy, TdxReclaimPolicy);

    /// <summary>KVM's TDX part (created on first use; under seed-notifier it registers its memory-reset notifier).</summary>
    public KvmTdx KvmTdx => kvmTdx ??= new KvmTdx(Kernel, Tdx);

    /// <summary>kexec (created on first use, with the TDX parts when the platform has TDX).</summary>
    public KexecModel Kexec => kexec ??= machine.Tdx is null
        ? new KexecModel(Kernel, TdxKexecPolicy, null, null)
        : new KexecModel(Kernel, TdxKexecPolicy, Tdx, KvmTdx);

    /// <summary>The <c>tdx-reclaim=</c> policy.</summary>
    public TdxReclaimPolicy TdxReclaimPolicy { get; }

    /// <summary>The <c>tdx-kexec=</c> policy.</summary>
    public TdxKexecPolicy TdxKexecPolicy { get; }

    /// <summary>Why the machine halted (a panic with no crash kernel), or null.</summary>
    public string? Halted => kexec?.Halted;

    /// <summary>The memregion facility as the drivers see it.</summary>
    public MemregionInvalidator Invalidator { get; }

    /// <summary>The NVDIMM and CXL drivers' log.</summary>
    public KernelLog DriverLog { get; } = new();

    /// <summary>The key ring.</summary>
    public KeyRing Keys { get; } = new();

    /// <summary>The delayed-work clock shared by the drivers and the firmware.</summary>
    public DelayedWorkQueue Work { get; } = new();

    /// <summary>The NVDIMM bus.</summary>
    public NvdimmBus Bus { get; }

    /// <summary>The CXL core.</summary>
    public CxlSubsystem Cxl { get; }

    /// <summary>Results of labelled kernel steps (0 or a negative errno).</summary>
    public Dictionary<string, int> Results { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds an encrypted key named <paramref name="name"/>.</summary>
    public int AddKey(string name, string passphrase)
    {
        var serial = Keys.Add(KeyType.Encrypted, "user:" + name, KeyRing.Passphrase(passphrase));
        keySerials[name] = serial;
        return serial;
    }

    /// <summary>The serial of a key added by the scenario.</summary>
    public int KeySerial(string name) =>
        keySerials.TryGetValue(name, out var s) ? s : throw new ArgumentException($"key '{name}' has not been added yet");

    /// <summary>The firmware of an NVDIMM device.</summary>
    public IntelDsmDimm Firmware(string device) => firmware[device].Firmware;

    /// <summary>True once the kernel has probed the DIMM object for <paramref name="device"/>.</summary>
    public bool HasDimm(string device) => dimms.ContainsKey(device);

    /// <summary>The kernel's DIMM for an NVDIMM device (created, reading its security state, on first use).</summary>
    public Nvdimm Dimm(string device)
    {
        if (!dimms.TryGetValue(device, out var dimm))
        {
            dimm = Bus.AddDimm(device, device, firmware[device].Ops);
            dimms[device] = dimm;
        }
        return dimm;
    }

    /// <summary>The NVDIMM region behind a pmem range.</summary>
    public NdRegion Region(string range)
    {
        if (!regions.TryGetValue(range, out var region))
        {
            var r = machine.Map.Named(range) ?? throw new ArgumentException($"no range {range}");
            region = Bus.AddRegion(range, r.Start, r.Size, Dimm(r.Device.Name));
            regions[range] = region;
        }
        return region;
    }

    /// <summary>The memdev of a CXL device.</summary>
    public CxlMemdev Memdev(string device) => memdevs[device];

    /// <summary>Creates a CXL region in a window.</summary>
    public Errno CreateCxlRegion(string name, string window)
    {
        var root = roots[window];
        var region = root.CreateRegion();
        cxlRegions[name] = region;
        var rc = region.SetInterleaveWays(1);
        rc = rc == Errno.Ok ? region.SetInterleaveGranularity(256) : rc;
        return rc == Errno.Ok ? region.SetSize(root.Window.Size) : rc;
    }

    /// <summary>A CXL region by its scenario name.</summary>
    public CxlRegion CxlRegion(string name) =>
        cxlRegions.TryGetValue(name, out var r) ? r : throw new ArgumentException($"CXL region '{name}' has not been created");

    /// <summary>Warnings raised since the last call: WARN splats of the kernel and of the drivers.</summary>
    public IEnumerable<string> NewWarnings()
    {
        var warnings = Kernel.Warnings;
        for (; warningsSeen < warnings.Count; warningsSeen++)
        {
            var w = warnings[warningsSeen];
            yield return $"WARNING: CPU: {w.Cpu} at {w.File} {w.Function}: {w.Condition}";
        }
        var entries = DriverLog.Entries;
        for (var i = splatsSeen; i < entries.Count; i++)
        {
            if (entries[i].IsWarnSplat)
            {
                yield return $"WARNING: {entries[i].Device}: {entries[i].Text}";
            }
        }
        splatsSeen = entries.Count;
    }

    /// <summary>Log lines of the kernel and the drivers printed since the last call.</summary>
    public List<string> NewLogLines()
    {
        var lines = new List<string>();
        for (; kernelLogSeen < Kernel.Log.Count; kernelLogSeen++)
        {
            lines.Add(Kernel.Log[kernelLogSeen].Text);
        }
        for (; driverLogSeen < DriverLog.Entries.Count; driverLogSeen++)
        {
            var e = DriverLog.Entries[driverLogSeen];
            lines.Add(e.Device.Length == 0 ? e.Text : $"{e.Device}: {e.Text}");
        }
        return lines;
    }

    /// <summary>Every log line of the kernel and the drivers, as printed.</summary>
    public IEnumerable<string> LogLines()
    {
        foreach (var e in Kernel.Log)
        {
            yield return e.Text;
        }
        foreach (var e in DriverLog.Entries)
        {
            yield return e.Device.Length == 0 ? e.Text : $"{e.Device}: {e.Text}";
        }
    }
}
