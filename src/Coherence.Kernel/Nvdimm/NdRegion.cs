using Errno = Coherence.Kernel.Boot.Errno;
using KernelLogLevel = Coherence.Kernel.Boot.KernelLogLevel;

namespace Coherence.Kernel.Nvdimm;

/// <summary>
/// An NVDIMM region (<c>struct nd_region</c>, <c>drivers/nvdimm/region_devs.c</c> and <c>region.c</c>): a physical
/// range interleaved across DIMMs. <see cref="Probe"/> is <c>nd_region_probe</c> (which calls
/// <c>nd_region_activate</c>) and, on success, marks every DIMM busy; <see cref="Remove"/> is <c>nd_region_remove</c>.
/// </summary>
public sealed class NdRegion
{
    private readonly Nvdimm[] mappings;

    internal NdRegion(NvdimmBus bus, string name, ulong start, ulong size, Nvdimm[] mappings)
    {
        if (mappings.Length == 0)
        {
            throw new ArgumentException($"region {name} needs at least one DIMM");
        }
        Bus = bus;
        Name = name;
        Start = start;
        Size = size;
        this.mappings = mappings;
    }

    /// <summary>The bus.</summary>
    public NvdimmBus Bus { get; }

    /// <summary>The device name (<c>region0</c>).</summary>
    public string Name { get; }

    /// <summary>First physical address.</summary>
    public ulong Start { get; }

    /// <summary>Size in bytes.</summary>
    public ulong Size { get; }

    /// <summary>The DIMMs of the region (<c>nd_region-&gt;mapping[i].nvdimm</c>).</summary>
    public IReadOnlyList<Nvdimm> Mappings => mappings;

    /// <summary>True while the region driver is bound (probed and not removed).</summary>
    public bool IsActive { get; private set; }

    /// <summary>
    /// <c>nd_region_probe</c>: <c>nd_region_activate</c>, then, when it succeeds, <c>nvdimm-&gt;busy++</c> on every DIMM
    /// (<c>nd_region_notify_driver_action</c>). Probing an active region returns 0 and changes nothing.
    /// </summary>
    public Errno Probe()
    {
        if (IsActive)
        {
            return Errno.Ok;
        }
        var rc = Activate();
        if (rc != Errno.Ok)
        {
            return rc;
        }
        foreach (var d in mappings)
        {
            d.Busy++;
        }
        IsActive = true;
        return Errno.Ok;
    }

    /// <summary>
    /// <c>nd_region_activate</c>: under v6.2 <c>nd_region_invalidate_memregion</c> first (which may fail with -ENXIO);
    /// then, with the bus lock, -EBUSY if any DIMM is in overwrite. (Flush-hint mapping is not modelled.)
    /// </summary>
    private Errno Activate()
    {
        if (Bus.Policy == NvdimmFlushPolicy.V6_2)
        {
            var rc = InvalidateMemregion();
            if (rc != Errno.Ok)
            {
                return rc;
            }
        }
        foreach (var d in mappings)
        {
            if (d.Flags.HasFlag(NvdimmDeviceFlags.SecurityOverwrite))
            {
                return Errno.EBUSY;
            }
        }
        return Errno.Ok;
    }

    /// <summary>
    /// <c>nd_region_invalidate_memregion</c> (v6.2): nothing unless some DIMM is INCOHERENT; without
    /// <c>cpu_cache_has_invalidate_memregion()</c> either warn and bypass (<see cref="NvdimmBus.SecurityTest"/>) or
    /// <c>dev_err "Failed to synchronize CPU cache state"</c> and -ENXIO; otherwise <c>cpu_cache_invalidate_all()</c>
    /// (result ignored). Then INCOHERENT is cleared on every DIMM of the region.
    /// </summary>
    private Errno InvalidateMemregion()
    {
        var incoherent = false;
        foreach (var d in mappings)
        {
            if (d.Flags.HasFlag(NvdimmDeviceFlags.Incoherent))
            {
                incoherent = true;
                break;
            }
        }
        if (!incoherent)
        {
            return Errno.Ok;
        }
        if (!Bus.Invalidator.HasInvalidate)
        {
            if (Bus.SecurityTest)
            {
                // The typo is the kernel's.
                Bus.Log.Add(KernelLogLevel.Warning, Name, "Bypassing cpu_cache_invalidate_memergion() for testing!");
            }
            else
            {
                Bus.Log.Add(KernelLogLevel.Err, Name, "Failed to synchronize CPU cache state");
                return Errno.ENXIO;
            }
        }
        else
        {
            _ = Bus.Invalidator.InvalidateAll();
        }
        foreach (var d in mappings)
        {
            d.Flags &= ~NvdimmDeviceFlags.Incoherent;
        }
        return Errno.Ok;
    }

    /// <summary>
    /// <c>nd_region_remove</c>: after the children go, under v6.2 <c>if (cpu_cache_has_invalidate_memregion())
    /// cpu_cache_invalidate_all()</c> (opportunistic, result ignored) so that dirty lines from before a later secure
    /// erase cannot be written back into the next instance of the region; then <c>nvdimm-&gt;busy--</c>.
    /// </summary>
    public void Remove()
    {
        if (!IsActive)
        {
            return;
        }
        if (Bus.Policy == NvdimmFlushPolicy.V6_2 && Bus.Invalidator.HasInvalidate)
        {
            _ = Bus.Invalidator.InvalidateAll();
        }
        foreach (var d in mappings)
        {
            d.Busy--;
        }
        IsActive = false;
    }
}
