using Coherence.Kernel.Boot;
using Coherence.Kernel.Kvm;

namespace Coherence.Kernel.Tests.Kvm;

/// <summary>A host with RAM at PFN 0x80000 (64 MiB) and device PFNs from 0x400000, and helpers for one VMA and slot.</summary>
internal sealed class KvmFixture
{
    public const ulong RamPfn = 0x80000;
    public const ulong DevicePfn = 0x400000;
    public const ulong Hva = 0x7f00_0000_0000;
    public const ulong Gpa = 0x1_0000_0000;
    public const ulong Pages = 16;
    public const ulong Size = Pages * Vma.PageSize;

    public KvmFixture(KvmS2Policy policy, Arm64CpuFeatures features, bool mte = false)
    {
        Host = new KvmArm64(policy, features);
        Host.AddLinearMap(RamPfn, 0x4000);
        Vm = Host.CreateVm(mte);
    }

    public KvmArm64 Host { get; }

    public KvmVm Vm { get; }

    /// <summary>Anonymous RAM: read/write, cacheable.</summary>
    public static (VmFlags, PgProt, bool) Ram => (VmFlags.Read | VmFlags.Write, PgProt.Normal, true);

    /// <summary>A VFIO BAR as vfio-pci maps it: PFNMAP, VM_ALLOW_ANY_UNCACHED, pgprot_noncached.</summary>
    public static (VmFlags, PgProt, bool) VfioBar =>
        (VmFlags.Read | VmFlags.Write | VmFlags.PfnMap | VmFlags.AllowAnyUncached, PgProt.NonCached, false);

    /// <summary>A PFNMAP of device memory without VM_ALLOW_ANY_UNCACHED, pgprot_device.</summary>
    public static (VmFlags, PgProt, bool) PlainMmio => (VmFlags.Read | VmFlags.Write | VmFlags.PfnMap, PgProt.Device, false);

    /// <summary>Device memory the host maps cacheably (nvgrace-gpu's usemem): PFNMAP, MT_NORMAL.</summary>
    public static (VmFlags, PgProt, bool) CacheableDevice => (VmFlags.Read | VmFlags.Write | VmFlags.PfnMap, PgProt.Normal, false);

    public Vma Mmap((VmFlags Flags, PgProt Prot, bool IsRam) kind, VmFlags extra = VmFlags.None, bool faultinFails = false) =>
        Host.Mmap(new Vma(Hva, Size, kind.Flags | extra, kind.Prot, kind.IsRam ? RamPfn : DevicePfn) { FaultinFails = faultinFails });

    public Errno AddSlot(KvmMemFlags flags = KvmMemFlags.None) => Vm.SetUserMemoryRegion(0, Gpa, Size, Hva, flags);

    /// <summary>Maps the VMA and the memslot (the memslot first, so its creation checks do not see the VMA).</summary>
    public static KvmFixture With(KvmS2Policy policy, Arm64CpuFeatures features, (VmFlags, PgProt, bool) kind,
        VmFlags extra = VmFlags.None, bool mte = false, KvmMemFlags slotFlags = KvmMemFlags.None)
    {
        var f = new KvmFixture(policy, features, mte);
        Assert.Equal(Errno.Ok, f.AddSlot(slotFlags));
        f.Mmap(kind, extra);
        return f;
    }

    public Stage2FaultResult Fault(Stage2Access access, ulong page = 0, bool permission = false, bool race = false) =>
        Vm.HandleStage2Fault(new Stage2FaultRequest(Gpa + (page * Vma.PageSize), access) { PermissionFault = permission, RacesWithInvalidation = race });
}
