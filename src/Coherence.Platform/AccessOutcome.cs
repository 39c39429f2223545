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

    /// <summary>AArch64 guest: the access found no stage-2 entry, or one without the permission it needed; it did not
    /// take effect and the hypervisor is to resolve the abort (<see cref="Isa.Arm64.Arm64Cpu.LastStage2Abort"/>).</summary>
    Stage2Fault,

    /// <summary>AArch64: a permission fault, such as an instruction fetch from Device memory.</summary>
    PermissionFault,

    /// <summary>AArch64: an undefined instruction, such as DC CVAP on a CPU without FEAT_DCPoP.</summary>
    UndefinedInstruction,
}
