namespace Coherence.Platform;

/// <summary>How an instruction ended.</summary>
public enum AccessOutcome
{
    /// <summary>It completed.</summary>
    Ok,

    /// <summary>It consumed poison: a machine check was raised and no data was returned.</summary>
    MachineCheck,

    /// <summary>The virtual address is not mapped, or maps outside the physical address map.</summary>
    PageFault,

    /// <summary>The access broke an alignment rule of its memory type.</summary>
    AlignmentFault,

    /// <summary>In a TDX guest: a virtualization exception (#VE), for example on WBINVD.</summary>
    VirtualizationException,

    /// <summary>In a KVM guest: the instruction exited to the hypervisor, which ignored it.</summary>
    TrappedAndIgnored,
}
