using Coherence.Kernel.Kvm;
using Coherence.Platform.Isa.Arm64;

namespace Coherence.Checking.Scenarios;

/// <summary>An AArch64 instruction step: <c>cpuN dc OP ADDR</c>, <c>cpuN dsb [sy|st|ld]</c>, <c>cpuN dmb ...</c>,
/// <c>cpuN exec ADDR</c>. On a guest CPU the address is a guest virtual address.</summary>
/// <param name="Label">The step's label, or null.</param>
/// <param name="Where">Source location.</param>
/// <param name="Cpu">The CPU.</param>
/// <param name="Op">The instruction: a DC operation, DSB, DMB, or <see cref="Arm64Instruction.Fetch"/> for
/// <c>exec</c> (the CPU branches there).</param>
/// <param name="Address">The address (DC and exec).</param>
/// <param name="Barrier">The barrier's option (DSB and DMB).</param>
/// <param name="Tenant">The tenant of the zeros DC ZVA stores.</param>
public sealed record Arm64Step(string? Label, SourceSpan Where, int Cpu, Arm64Instruction Op, ulong Address, Arm64BarrierKind Barrier = Arm64BarrierKind.Full, string? Tenant = null)
    : StepSpec(Label, Where);

/// <summary>A KVM operation of the VMM on an arm64 host; its result (0 or a negative errno) is recorded under its label.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
public abstract record KvmStep(string? Label, SourceSpan Where) : StepSpec(Label, Where);

/// <summary><c>kvm vma NAME HVA size=SIZE -> ADDRESS {flag} [pgprot=P]</c>: the VMM mmaps physical memory at a host
/// virtual address (a VFIO BAR, a GPU's memory): a VMA with <c>vm_flags</c> and <c>vm_page_prot</c>, also mapped in
/// the stage-1 tables of every host CPU.</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Name">The VMA's name in the scenario.</param>
/// <param name="Hva">First host virtual address.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="PhysicalAddress">The physical address mapped at <paramref name="Hva"/>.</param>
/// <param name="Flags">vm_flags.</param>
/// <param name="PageProt">vm_page_prot.</param>
public sealed record KvmVmaStep(string? Label, SourceSpan Where, string Name, ulong Hva, ulong Size, ulong PhysicalAddress, VmFlags Flags, PgProt PageProt)
    : KvmStep(Label, Where);

/// <summary><c>kvm memslot SLOT GPA size=SIZE -> VMA[+OFFSET] {log-dirty | readonly}</c>:
/// KVM_SET_USER_MEMORY_REGION (size 0 deletes the slot).</summary>
/// <param name="Label">The step's label.</param>
/// <param name="Where">Source location.</param>
/// <param name="Slot">The slot id.</param>
/// <param name="Gpa">Guest physical address.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Vma">The VMA whose addresses back the slot.</param>
/// <param name="Offset">Offset into the VMA.</param>
/// <param name="Flags">KVM_MEM_* flags.</param>
public sealed record KvmMemslotStep(string? Label, SourceSpan Where, int Slot, ulong Gpa, ulong Size, string Vma, ulong Offset, KvmMemFlags Flags)
    : KvmStep(Label, Where);
