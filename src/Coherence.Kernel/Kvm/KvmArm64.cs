using Coherence.Kernel.Boot;

namespace Coherence.Kernel.Kvm;

/// <summary>KVM capabilities the model answers.</summary>
public enum KvmCap
{
    /// <summary>KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED (v6.17).</summary>
    ArmCacheablePfnmapSupported,
}

/// <summary>
/// The arm64 host side of KVM: the CPU features, the kernel version's stage-2 policy, the linear map
/// (<c>pfn_is_map_memory</c>), poisoned PFNs and the VMM's VMAs (one <c>mm_struct</c>).
/// </summary>
public sealed class KvmArm64
{
    private readonly List<(ulong First, ulong Count)> linearMap = [];
    private readonly HashSet<ulong> hwPoison = [];
    private readonly List<Vma> vmas = [];

    /// <summary>A host with <paramref name="features"/> running the <paramref name="policy"/> kernel.</summary>
    public KvmArm64(KvmS2Policy policy, Arm64CpuFeatures features)
    {
        Policy = policy;
        Features = features;
    }

    /// <summary>The kernel version's stage-2 behaviour.</summary>
    public KvmS2Policy Policy { get; }

    /// <summary>The system-wide CPU capabilities.</summary>
    public Arm64CpuFeatures Features { get; }

    /// <summary><c>kvm_supports_cacheable_pfnmap()</c>: FWB and DIC.</summary>
    public bool SupportsCacheablePfnmap => Features.SupportsCacheablePfnmap();

    /// <summary>The VMM's VMAs, in the order added.</summary>
    public IReadOnlyList<Vma> Vmas => vmas;

    /// <summary>Adds RAM that the kernel maps in its linear map (memblock "map" memory).</summary>
    public void AddLinearMap(ulong firstPfn, ulong pages) => linearMap.Add((firstPfn, pages));

    /// <summary><c>pfn_is_map_memory</c>: the PFN is RAM in the linear map, so it has a kernel VA for CMOs.</summary>
    public bool PfnIsMapMemory(ulong pfn) => linearMap.Exists(r => pfn >= r.First && pfn - r.First < r.Count);

    /// <summary>Marks a PFN as hardware-poisoned (faulting it in gives KVM_PFN_ERR_HWPOISON).</summary>
    public void Poison(ulong pfn) => hwPoison.Add(pfn);

    /// <summary>True when the PFN is poisoned.</summary>
    public bool IsPoisoned(ulong pfn) => hwPoison.Contains(pfn);

    /// <summary>Adds a VMA to the VMM's address space; it must not overlap another.</summary>
    public Vma Mmap(Vma vma)
    {
        ArgumentNullException.ThrowIfNull(vma);
        if (vmas.Exists(v => v.Start < vma.End && vma.Start < v.End))
        {
            throw new ArgumentException($"{vma} overlaps an existing VMA", nameof(vma));
        }

        vmas.Add(vma);
        return vma;
    }

    /// <summary><c>vma_lookup</c>: the VMA containing <paramref name="hva"/>, or null.</summary>
    public Vma? FindVma(ulong hva) => vmas.Find(v => v.Contains(hva));

    /// <summary>The VMAs intersecting [start, end) in address order (<c>find_vma_intersection</c> in a loop).</summary>
    public IEnumerable<Vma> VmasIntersecting(ulong start, ulong end) =>
        vmas.Where(v => v.Start < end && start < v.End).OrderBy(v => v.Start);

    /// <summary>KVM_CREATE_VM.</summary>
    /// <param name="mte">KVM_CAP_ARM_MTE enabled.</param>
    /// <param name="ipaBits">The IPA size (kvm_phys_shift).</param>
    public KvmVm CreateVm(bool mte = false, int ipaBits = 40) => new(this, mte, ipaBits);

    /// <summary>KVM_CHECK_EXTENSION on /dev/kvm (no VM).</summary>
    public int CheckExtension(KvmCap cap) => CheckExtension(cap, vm: null);

    internal int CheckExtension(KvmCap cap, KvmVm? vm) => cap switch
    {
        // Unknown to kernels before v6.17: KVM_CHECK_EXTENSION answers 0.
        KvmCap.ArmCacheablePfnmapSupported when Policy != KvmS2Policy.V617 => 0,
        KvmCap.ArmCacheablePfnmapSupported when vm is null => Errno.EINVAL.ToReturnValue(),
        KvmCap.ArmCacheablePfnmapSupported => SupportsCacheablePfnmap ? 1 : 0,
        _ => 0,
    };
}
