using Coherence.Platform.Addressing;

namespace Coherence.Platform.Cpus;

/// <summary>
/// The state of one CPU core: its private caches, store buffer, write-combining buffers, pending flushes, address
/// space and virtualisation mode. Instructions are executed through <see cref="Isa.X86.X86Cpu"/>.
/// </summary>
public sealed class CpuCore
{
    internal CpuCore(int index, int socket, ModelCache l1, ModelCache l2, int storeBufferEntries, int wcBuffers, AddressSpace space)
    {
        Index = index;
        Socket = socket;
        L1 = l1;
        L2 = l2;
        StoreBuffer = new StoreBuffer(storeBufferEntries);
        WcBuffers = new WcBuffer[wcBuffers];
        for (var i = 0; i < wcBuffers; i++)
        {
            WcBuffers[i] = new WcBuffer();
        }
        AddressSpace = space;
    }

    /// <summary>The CPU number (0-based, socket-major).</summary>
    public int Index { get; }

    /// <summary>The socket the core sits in.</summary>
    public int Socket { get; }

    /// <summary>The private level-1 data cache.</summary>
    public ModelCache L1 { get; }

    /// <summary>The private level-2 cache.</summary>
    public ModelCache L2 { get; }

    /// <summary>The TSO store buffer.</summary>
    public StoreBuffer StoreBuffer { get; }

    /// <summary>The write-combining buffers.</summary>
    public WcBuffer[] WcBuffers { get; }

    /// <summary>CLFLUSHOPT/CLWB that left the store buffer and have not completed, oldest first.</summary>
    public List<PendingFlush> PendingFlushes { get; } = [];

    /// <summary>Number of write-combining buffers in use.</summary>
    public int WcInUse { get; internal set; }

    /// <summary>The address space the core translates through.</summary>
    public AddressSpace AddressSpace { get; set; }

    private long wcSequence;

    /// <summary>
    /// The write-combining buffer a store to <paramref name="line"/> gathers into: the one already gathering that line
    /// with the same coherence, else a free one (opened for the line), else null when every buffer is in use (the
    /// caller drains <see cref="OldestWcBuffer"/> and asks again).
    /// </summary>
    internal WcBuffer? WcBufferFor(ulong line, bool coherent)
    {
        WcBuffer? free = null;
        foreach (var wc in WcBuffers)
        {
            if (wc.InUse)
            {
                if (wc.Line == line && wc.Coherent == coherent)
                {
                    return wc;
                }
            }
            else
            {
                free ??= wc;
            }
        }
        if (free is not null)
        {
            WcInUse++;
            free.InUse = true;
            free.Line = line;
            free.Coherent = coherent;
            free.Mask = 0;
            free.Sequence = ++wcSequence;
        }
        return free;
    }

    /// <summary>The buffer opened longest ago (every buffer in use).</summary>
    internal WcBuffer OldestWcBuffer()
    {
        var oldest = WcBuffers[0];
        foreach (var wc in WcBuffers)
        {
            if (wc.Sequence < oldest.Sequence)
            {
                oldest = wc;
            }
        }
        return oldest;
    }

    /// <summary>Host or guest; a guest sees the hypervisor CPUID bit.</summary>
    public GuestKind Guest { get; set; }

    /// <summary>True when the CPUID hypervisor bit is set (any guest).</summary>
    public bool HypervisorBit => Guest != GuestKind.Host;

    /// <summary>For a KVM guest: the hypervisor executes the guest's WBINVD on the host CPU instead of ignoring it
    /// (KVM does so when a non-coherent DMA device is assigned).</summary>
    public bool WbinvdPassthrough { get; set; }

    /// <summary>Physical lines this core accessed through write-back mappings: candidates for speculative fetch.</summary>
    internal HashSet<ulong> SpeculationCandidates { get; } = [];

    /// <summary>True when nothing is buffered (store buffer, WC buffers, pending flushes).</summary>
    public bool IsQuiescent
    {
        get
        {
            if (StoreBuffer.Count > 0 || PendingFlushes.Count > 0)
            {
                return false;
            }
            foreach (var wc in WcBuffers)
            {
                if (wc.InUse)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
