using Coherence.Kernel.Boot;
using Coherence.Kernel.Notifiers;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;

namespace Coherence.Kernel.Tdx;

/// <summary>
/// KVM as the in-kernel TDX user (arch/x86/kvm/vmx/tdx.c): TDs with HKIDs, private pages added and removed (with
/// the per-HKID WBINVD and the reset quirk), the TD's vCPU writing its private memory, and, under the seed, a
/// memory-reset notifier that resets every private page it tracks.
/// </summary>
/// <remarks>
/// Simplifications: a TD's GPA equals the host physical address; TDH.MEM.PAGE.ADD is modelled as the module
/// zeroing the page with MOVDIR64B through the HKID; control pages (TDR, TDCS, TDVPR) and TDH.PHYMEM.CACHE.WB on HKID
/// release are not modelled. The vCPU runs on its CPU only for a <see cref="TdWrite"/> (the CPU is the host's
/// otherwise).
/// </remarks>
public sealed class KvmTdx
{
    private readonly KernelModel kernel;
    private readonly Machine machine;
    private readonly TdxHost host;
    private readonly List<KvmTd> tds = [];
    private readonly ulong pageCount;
    private int nextHkid;

    /// <summary>Creates KVM's TDX part; under seed-notifier it registers its memory-reset notifier.</summary>
    public KvmTdx(KernelModel kernel, TdxHost host)
    {
        this.kernel = kernel;
        this.host = host;
        machine = kernel.Machine;
        ulong end = 0;
        foreach (var r in machine.Map.Resources)
        {
            end = Math.Max(end, r.End);
        }
        pageCount = Math.Max(1, end / AddressSpace.PageSize);
        ResetNotifier = new NotifierBlock("kvm_tdx_memory_reset", OnMemoryReset);
        NotifierRegistered = host.RegisterMemoryResetNotifier(ResetNotifier) == Errno.Ok;
    }

    /// <summary>KVM's block on the memory-reset chain.</summary>
    public NotifierBlock ResetNotifier { get; }

    /// <summary>True when the block is on the chain (seed-notifier only).</summary>
    public bool NotifierRegistered { get; }

    /// <summary>Fault injection: the notifier resets this many pages, then fails with -EIO (null: never fails).</summary>
    public int? FailResetAfter { get; set; }

    /// <summary>The TDs, in creation order.</summary>
    public IReadOnlyList<KvmTd> Tds => tds;

    /// <summary>The TD named <paramref name="name"/>; throws naming it when absent.</summary>
    public KvmTd Td(string name) =>
        tds.Find(t => t.Name == name && !t.Gone) ?? throw new ArgumentException($"no TD named '{name}'");

    /// <summary>
    /// KVM_CREATE_VM of a TD whose vCPU runs on <paramref name="cpu"/>: allocates the next HKID (after the global
    /// KeyID). -ENODEV when the TDX module is not initialised, -ENOSPC when the HKIDs run out, -EEXIST for a taken name.
    /// </summary>
    public Errno CreateTd(string name, int cpu, out KvmTd? td)
    {
        td = null;
        if (!host.ModuleInitialized)
        {
            return Errno.ENODEV;
        }
        if (tds.Exists(t => t.Name == name && !t.Gone))
        {
            return Errno.EEXIST;
        }
        var hkid = host.GlobalKeyId + 1 + nextHkid;
        if (hkid >= KeyIds.Count)
        {
            return Errno.ENOSPC;
        }
        nextHkid++;
        host.Seamcall(cpu); // TDH.MNG.CREATE, TDH.MNG.KEY.CONFIG
        td = new KvmTd(name, hkid, cpu, new XarrayPrivatePageTracker(pageCount));
        tds.Add(td);
        kernel.PrInfo($"kvm: TD {name} created with HKID {hkid} on cpu{cpu}");
        return Errno.Ok;
    }

    /// <summary>
    /// TDH.MEM.PAGE.ADD over [<paramref name="start"/>, +<paramref name="size"/>): each page becomes private (the
    /// module zeroes it with MOVDIR64B through the HKID) and KVM marks its GFN private. -EINVAL for a range outside
    /// System RAM or misaligned, -EBUSY for a page already private.
    /// </summary>
    public Errno AddPages(KvmTd td, ulong start, ulong size)
    {
        var check = CheckRange(start, size);
        if (check != Errno.Ok)
        {
            return check;
        }
        for (var pa = start; pa < start + size; pa += AddressSpace.PageSize)
        {
            foreach (var t in tds)
            {
                if (!t.Gone && t.Pages.IsPrivate(pa / AddressSpace.PageSize))
                {
                    return Errno.EBUSY;
                }
            }
        }
        var bytes = new byte[64];
        host.Seamcall(td.Cpu);
        host.Access.Run(td.Cpu, td.Hkid, x86 =>
        {
            for (var pa = start; pa < start + size; pa += 64)
            {
                x86.DirectStore64(pa, bytes, td.Name);
            }
            x86.Mfence();
        });
        for (var pa = start; pa < start + size; pa += AddressSpace.PageSize)
        {
            td.Pages.Mark(pa / AddressSpace.PageSize);
        }
        return Errno.Ok;
    }

    /// <summary>
    /// The TD's vCPU (TDH.VP.ENTER on its CPU) stores <paramref name="data"/> at <paramref name="address"/> through
    /// its HKID, with ordinary cached stores: the lines stay dirty in that CPU's caches under the HKID. -EINVAL when
    /// a byte is not one of the TD's private pages.
    /// </summary>
    public Errno TdWrite(KvmTd td, ulong address, ReadOnlySpan<byte> data)
    {
        for (var a = address & ~(AddressSpace.PageSize - 1); a < address + (ulong)data.Length; a += AddressSpace.PageSize)
        {
            if (!td.Pages.IsPrivate(a / AddressSpace.PageSize))
            {
                return Errno.EINVAL;
            }
        }
        host.Seamcall(td.Cpu);
        var bytes = data.ToArray();
        var core = machine.Cpus[td.Cpu];
        var guest = core.Guest;
        core.Guest = GuestKind.TdxGuest;
        try
        {
            host.Access.Run(td.Cpu, td.Hkid, x86 =>
            {
                for (var done = 0; done < bytes.Length;)
                {
                    var a = address + (ulong)done;
                    var n = Math.Min(64 - (int)(a & 63), bytes.Length - done);
                    x86.Store(a, bytes.AsSpan(done, n), td.Name);
                    done += n;
                }
                x86.Retire();
            });
        }
        finally
        {
            core.Guest = guest;
        }
        return Errno.Ok;
    }

    /// <summary>
    /// Removing private pages (tdx_sept_remove_private_spte): TDH.MEM.PAGE.REMOVE, then
    /// tdh_phymem_page_wbinvd_hkid() (write back and invalidate the page's HKID lines in every cache), then
    /// tdx_quirk_reset_page(), then unpin and forget the GFN (the flush and the reset as <see cref="TdxHost.Reclaim"/>
    /// says). Runs on <paramref name="cpu"/>.
    /// </summary>
    public Errno RemovePages(KvmTd td, ulong start, ulong size, int cpu)
    {
        var check = CheckRange(start, size);
        if (check != Errno.Ok)
        {
            return check;
        }
        for (var pa = start; pa < start + size; pa += AddressSpace.PageSize)
        {
            if (!td.Pages.IsPrivate(pa / AddressSpace.PageSize))
            {
                return Errno.ENOENT;
            }
        }
        for (var pa = start; pa < start + size; pa += AddressSpace.PageSize)
        {
            host.Seamcall(cpu); // TDH.MEM.PAGE.REMOVE, TDH.PHYMEM.PAGE.WBINVD
            if (host.Reclaim.Flushes())
            {
                machine.WbinvdPageKeyId(cpu, pa, td.Hkid);
            }
            if (host.Reclaim.Resets())
            {
                host.QuirkResetPage(cpu, pa);
            }
            td.Pages.Clear(pa / AddressSpace.PageSize);
        }
        return Errno.Ok;
    }

    /// <summary>The seed's notifier: reset every tracked private page of every TD with MOVDIR64B (no cache flush:
    /// tdx_reset_memory() did a WBINVD on this CPU just before).</summary>
    private int OnMemoryReset(NotifierBlock nb, ulong action, object? data)
    {
        var cpu = data is int c ? c : kernel.CurrentCpu;
        var done = 0;
        foreach (var td in tds)
        {
            if (td.Gone)
            {
                continue;
            }
            var pfns = new List<ulong>(td.Pages.EnumeratePrivate());
            pfns.Sort();
            foreach (var pfn in pfns)
            {
                if (FailResetAfter is { } limit && done >= limit)
                {
                    return NotifyResult.FromErrno(Errno.EIO);
                }
                host.QuirkResetPage(cpu, pfn * AddressSpace.PageSize);
                done++;
            }
        }
        return NotifyResult.Ok;
    }

    /// <summary>Forgets every TD (the kernel that ran them is gone).</summary>
    public void ForgetAll()
    {
        foreach (var td in tds)
        {
            td.Gone = true;
        }
    }

    private Errno CheckRange(ulong start, ulong size)
    {
        if (size == 0 || start % AddressSpace.PageSize != 0 || size % AddressSpace.PageSize != 0)
        {
            return Errno.EINVAL;
        }
        var r = machine.Map.Find(start);
        return r is { Kind: ResourceKind.SystemRam } && r.Contains(start + size - 1) ? Errno.Ok : Errno.EINVAL;
    }
}
