namespace Coherence.Kernel.Kvm;

/// <summary>
/// The <c>vm_area_struct.vm_flags</c> bits the stage-2 code reads. The bit values are the model's own, not the
/// kernel's (VM_ALLOW_ANY_UNCACHED and VM_MTE_ALLOWED are high arch bits whose numbers vary by tree).
/// </summary>
[Flags]
public enum VmFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>VM_READ.</summary>
    Read = 1 << 0,

    /// <summary>VM_WRITE: faults may map the page writable.</summary>
    Write = 1 << 1,

    /// <summary>VM_PFNMAP: raw PFNs without struct page (remap_pfn_range, VFIO BARs).</summary>
    PfnMap = 1 << 2,

    /// <summary>VM_MIXEDMAP: a mix of struct-page pages and raw PFNs.</summary>
    MixedMap = 1 << 3,

    /// <summary>VM_ALLOW_ANY_UNCACHED: the guest may use any uncached type, so KVM may map Normal-NC (set by vfio-pci
    /// core mmap and nvgrace-gpu).</summary>
    AllowAnyUncached = 1 << 4,

    /// <summary>VM_MTE_ALLOWED: the mapping supports MTE tags.</summary>
    MteAllowed = 1 << 5,
}
