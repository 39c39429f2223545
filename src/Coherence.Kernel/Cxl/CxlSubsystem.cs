using Coherence.Kernel.Nvdimm;
using Coherence.Platform;
using KernelLog = Coherence.Kernel.Boot.KernelLog;

namespace Coherence.Kernel.Cxl;

/// <summary>
/// The CXL core of one boot (<c>drivers/cxl/core</c>): topology (root decoders over CXL windows of the machine's
/// address map, host-bridge ports, memdevs with endpoint ports), the region options, the cache invalidator, the log
/// and the delayed-work timeline. The region rwsem is implicit: the model is driven by one thread.
/// </summary>
public sealed class CxlSubsystem
{
    private readonly List<CxlRootDecoder> roots = [];
    private readonly List<CxlMemdev> memdevs = [];

    /// <summary>Creates the core. Services not given are created empty.</summary>
    public CxlSubsystem(Machine machine, ICacheInvalidator invalidator, CxlRegionOptions? options = null, KernelLog? log = null,
        DelayedWorkQueue? work = null)
    {
        Machine = machine;
        Invalidator = invalidator;
        Options = options ?? new CxlRegionOptions();
        Log = log ?? new KernelLog();
        Work = work ?? new DelayedWorkQueue();
    }

    /// <summary>The platform.</summary>
    public Machine Machine { get; }

    /// <summary>The memregion facility.</summary>
    public ICacheInvalidator Invalidator { get; }

    /// <summary>Region policy and configuration.</summary>
    public CxlRegionOptions Options { get; }

    /// <summary>The kernel log.</summary>
    public KernelLog Log { get; }

    /// <summary>The simulated clock and work queue.</summary>
    public DelayedWorkQueue Work { get; }

    /// <summary>The root decoders.</summary>
    public IReadOnlyList<CxlRootDecoder> RootDecoders => roots;

    /// <summary>The memdevs.</summary>
    public IReadOnlyList<CxlMemdev> Memdevs => memdevs;

    /// <summary>
    /// A root decoder (CFMWS) over the machine's CXL window named <paramref name="windowResource"/>, targeting
    /// <paramref name="hostBridges"/>.
    /// </summary>
    public CxlRootDecoder AddRootDecoder(string windowResource, params CxlPort[] hostBridges)
    {
        var window = Machine.Map.Named(windowResource) ?? throw new ArgumentException($"no physical range named {windowResource}");
        var root = new CxlRootDecoder(this, $"decoder0.{roots.Count}", window, hostBridges);
        roots.Add(root);
        return root;
    }

    /// <summary>A host-bridge port with <paramref name="decoders"/> switch decoders.</summary>
    public CxlPort AddHostBridge(string name, int decoders = 4) => new(this, name, null, decoders, endpoint: false);

    /// <summary>A memdev below <paramref name="hostBridge"/>, with an endpoint port of <paramref name="endpointDecoders"/> decoders.</summary>
    public CxlMemdev AddMemdev(string name, CxlMemdevFirmware firmware, CxlPort hostBridge, int endpointDecoders = 4)
    {
        var memdev = new CxlMemdev(this, name, firmware);
        memdev.Endpoint = new CxlPort(this, "endpoint-" + name, hostBridge, endpointDecoders, endpoint: true) { Memdev = memdev };
        memdevs.Add(memdev);
        return memdev;
    }
}

/// <summary>
/// A root decoder (<c>struct cxl_root_decoder</c>, from an ACPI CFMWS): a CXL window of the machine's address map in
/// which regions are created. The model gives the window to one region at a time and re-points the whole window
/// (<see cref="Machine.Retarget"/>) when that region's endpoint decoder commits.
/// </summary>
public sealed class CxlRootDecoder
{
    private readonly CxlSubsystem cxl;
    private int regionId;

    internal CxlRootDecoder(CxlSubsystem cxl, string name, Platform.Addressing.Resource window, CxlPort[] hostBridges)
    {
        this.cxl = cxl;
        Name = name;
        Window = window;
        HostBridges = hostBridges;
    }

    /// <summary>The decoder's name.</summary>
    public string Name { get; }

    /// <summary>The CXL window (HPA range) of the machine.</summary>
    public Platform.Addressing.Resource Window { get; }

    /// <summary>The host bridges the window interleaves over (its dports).</summary>
    public IReadOnlyList<CxlPort> HostBridges { get; }

    /// <summary>The region holding the window's HPA, or null.</summary>
    public CxlRegion? HpaOwner { get; internal set; }

    /// <summary><c>create_pmem_region</c> / <c>create_ram_region</c>: a new region in IDLE.</summary>
    public CxlRegion CreateRegion(CxlDecoderMode mode = CxlDecoderMode.Pmem)
    {
        if (mode == CxlDecoderMode.None)
        {
            throw new ArgumentException("a region is pmem or ram");
        }
        return new CxlRegion(cxl, this, $"region{regionId++}", mode);
    }
}
