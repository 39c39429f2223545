using Coherence.Kernel.Boot;
using Coherence.Platform.Addressing;

namespace Coherence.Kernel.Kvm;

/// <summary>What the guest access that faulted at stage 2 was.</summary>
public enum Stage2Access
{
    /// <summary>A data read.</summary>
    Read,

    /// <summary>A data write.</summary>
    Write,

    /// <summary>An instruction fetch.</summary>
    Exec,
}

/// <summary>A stage-2 abort as <c>kvm_handle_guest_abort</c> hands it to <c>user_mem_abort</c>.</summary>
/// <param name="Ipa">The faulting intermediate physical address.</param>
/// <param name="Access">Read, write or instruction fetch.</param>
public sealed record Stage2FaultRequest(ulong Ipa, Stage2Access Access)
{
    /// <summary>A permission fault on an existing entry (rather than a translation fault).</summary>
    public bool PermissionFault { get; init; }

    /// <summary>An MMU notifier invalidation ran between sampling <c>mmu_invalidate_seq</c> and taking the fault lock.</summary>
    public bool RacesWithInvalidation { get; init; }
}

/// <summary>How a stage-2 fault ended.</summary>
public enum Stage2FaultOutcome
{
    /// <summary>A new stage-2 entry was installed.</summary>
    Mapped,

    /// <summary>A permission fault relaxed an existing entry's permissions.</summary>
    PermissionsRelaxed,

    /// <summary>-EAGAIN (an invalidation raced): nothing mapped, the guest retries; the caller sees 0.</summary>
    Retry,

    /// <summary>A HWPOISON PFN: SIGBUS sent to the VMM, return 0.</summary>
    SigBus,

    /// <summary>The IPA is in no memslot: MMIO emulation (io_mem_abort), not user_mem_abort.</summary>
    Mmio,

    /// <summary>-ENOEXEC: the caller injects an instruction abort into the guest.</summary>
    InjectedInstructionAbort,

    /// <summary>Another negative return (-EFAULT, -EINVAL) to the VMM's KVM_RUN.</summary>
    Error,
}

/// <summary>One installed stage-2 leaf entry.</summary>
/// <param name="Gfn">Guest frame.</param>
/// <param name="Pfn">Host frame.</param>
/// <param name="Prot">kvm_pgtable_prot bits.</param>
/// <param name="MemAttr">The MemAttr encoding written into the descriptor.</param>
public sealed record Stage2Pte(ulong Gfn, ulong Pfn, KvmPgtableProt Prot, Stage2MemAttr MemAttr)
{
    /// <summary>The effective type of a guest access whose own (stage-1) type is <paramref name="stage1"/>.</summary>
    public Arm64MemoryType EffectiveType(Arm64MemoryType stage1) => Arm64Stage2.Combine(stage1, MemAttr);
}

/// <summary>The result of <see cref="KvmVm.HandleStage2Fault"/>.</summary>
public sealed class Stage2FaultResult
{
    /// <summary>How the fault ended.</summary>
    public required Stage2FaultOutcome Outcome { get; init; }

    /// <summary>user_mem_abort's return: 0, -ENOEXEC, -EFAULT, -EAGAIN or -EINVAL.</summary>
    public required Errno Return { get; init; }

    /// <summary>The entry installed or relaxed, if any.</summary>
    public Stage2Pte? Pte { get; init; }

    /// <summary>The dcache was cleaned to PoC for the page (cacheable mapping without FWB).</summary>
    public bool DcacheCleanedToPoc { get; init; }

    /// <summary>The icache was invalidated to PoU for the page (executable mapping without DIC).</summary>
    public bool IcacheInvalidated { get; init; }

    /// <summary>The steps taken, in the words of spec §4.2, for traces and failing tests.</summary>
    public required IReadOnlyList<string> Steps { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Outcome} {Return.ToKernelString()} {Pte}: {string.Join("; ", Steps)}";
}
