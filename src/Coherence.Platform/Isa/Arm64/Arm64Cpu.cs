using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;
using Coherence.Platform.Events;
using Coherence.Platform.Memory;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Isa.Arm64;

/// <summary>Where a stage-2 abort happened: the guest access that found no stage-2 entry, or one without the
/// permission it needed. The hypervisor (KVM's <c>kvm_handle_guest_abort</c>) reads it from ESR_EL2/HPFAR_EL2.</summary>
/// <param name="Ipa">The intermediate physical address.</param>
/// <param name="Va">The guest virtual address.</param>
/// <param name="Access">The permission the access needed (read, write or execute).</param>
/// <param name="Permission">True for a permission fault on an existing entry, false for a translation fault.</param>
public readonly record struct Stage2Abort(ulong Ipa, ulong Va, Stage2Permissions Access, bool Permission);

/// <summary>The translation of an access: where it went and with which effective memory type.</summary>
/// <param name="Va">The virtual address.</param>
/// <param name="Pa">The physical address.</param>
/// <param name="Type">The effective memory type (stage 1 combined with stage 2 in a guest).</param>
public readonly record struct Arm64Translation(ulong Va, ulong Pa, Arm64MemoryType Type);

/// <summary>
/// The AArch64 instructions of one core, on the same caches, write-combining buffers and devices as
/// <see cref="X86.X86Cpu"/>. Each public method is one step of the machine: it runs, then the chooser may run
/// background actions (a write-combining buffer draining, a write-pending queue draining, an eviction...).
/// </summary>
/// <remarks>
/// <para>Translation: stage 1 (<see cref="Stage1"/>), then, for a CPU running a guest, stage 2
/// (<see cref="Stage2"/>); the access uses the <b>effective</b> memory type, <see cref="Arm64Stage2.Combine"/> of the
/// two (FWB or not, as the stage-2 MemAttr says). An address <see cref="Stage1"/> does not cover is the CPU's linear
/// map: in a guest, identity onto the intermediate physical address with Normal-WB; on the host, identity with
/// Normal-WB for every range of the address map but reserved ones, which are Device-nGnRE.</para>
/// <para>Memory types: Normal-WB accesses go through the cache hierarchy and its coherence protocol. Normal-WT loads
/// are cached; its stores write through to memory, invalidating other copies. Normal-NC and Device accesses bypass
/// the caches and <b>do not snoop them</b>: a load reads the device (a dirty line elsewhere is not seen), a store
/// writes the device and leaves cached copies as they were (now stale) — the loss of coherence the architecture
/// describes for mismatched attributes. Normal-NC and Device-GRE stores may gather: they collect in the core's
/// write-combining buffers and reach memory as one write per buffer; Device-nGRE, nGnRE and nGnRnE stores are one
/// memory write each. <see cref="WriteTransactions"/> and <see cref="ReadTransactions"/> count the memory
/// transactions this CPU issued. Device memory faults on an access not aligned to its size and on DC ZVA
/// (<see cref="AccessOutcome.AlignmentFault"/>), and an instruction fetch from it is a permission fault.</para>
/// <para>Simplifications, all documented in docs/platform.md: there is no store buffer and no reordering — every
/// access takes effect in program order when it executes (the weaker Armv8 orderings are the AArch64 litmus engine's
/// business); DC CVAC, CVAP, CIVAC, IVAC and ZVA complete when they execute (the architecture lets them complete as late as
/// the next DSB), so DSB only drains this CPU's write-combining buffers and DMB changes nothing; DC ZVA zeroes 64
/// bytes (DCZID_EL0.BS = 4); the E (early acknowledgement) attribute changes nothing, so Device-nGnRnE behaves as
/// nGnRE, and R (reordering) is not used; shareability, allocation hints, MTE tags and the instruction cache are not
/// modelled (a fetch reads through the data side).</para>
/// <para>Points of coherence and persistence: the point of coherence is the memory controller, which owns each
/// device's write-pending queue. Under persistence domain <c>None</c> that queue is outside the domain, so a line
/// cleaned to the point of coherence (DC CVAC, DC CIVAC, an eviction) may still be lost at power failure; DC CVAP
/// cleans to the point of persistence, the media, pushing the line's queued write through. Under ADR and eADR the
/// queue is in the domain and DC CVAP behaves as DC CVAC, as on a platform whose PoC is persistent.</para>
/// </remarks>
public sealed partial class Arm64Cpu
{
    private const int Line = 64;
    private readonly Machine machine;
    private readonly CpuCore core;
    private readonly MemorySystem memory;
    private LineBuffer scratch;
    private LineOrigins scratchOrigins;

    internal Arm64Cpu(Machine machine, CpuCore core)
    {
        this.machine = machine;
        this.core = core;
        memory = machine.Memory;
    }

    /// <summary>The core this interface drives.</summary>
    public CpuCore Core => core;

    /// <summary>The CPU number.</summary>
    public int Index => core.Index;

    /// <summary>The platform's optional features (the same on every core).</summary>
    public Arm64Features Features => machine.Config.Arm64Features;

    /// <summary>Stage-1 translation: the page tables of whatever runs on the CPU (the host kernel and VMM, or the
    /// guest). Addresses it does not cover use the linear map (see the class remarks).</summary>
    public Arm64AddressSpace Stage1 { get; set; } = new();

    /// <summary>The stage-2 table of the VM this CPU runs, or null on the host (no second stage).</summary>
    public Arm64Stage2Table? Stage2 { get; set; }

    /// <summary>The last stage-2 abort, for the hypervisor to resolve.</summary>
    public Stage2Abort? LastStage2Abort { get; private set; }

    /// <summary>The translation of the last access that translated (its first byte).</summary>
    public Arm64Translation? LastAccess { get; private set; }

    /// <summary>Memory write transactions issued: one per non-gathered write (Device-nGRE/nGnRE/nGnRnE, Normal-WT),
    /// one per write-combining buffer opened by gathering writes (Normal-NC, Device-GRE). Cached writes issue none.</summary>
    public long WriteTransactions { get; private set; }

    /// <summary>Memory read transactions issued by non-cacheable loads and fetches (one per access and line).</summary>
    public long ReadTransactions { get; private set; }

    /// <summary>
    /// Translates <paramref name="va"/> for an access needing <paramref name="need"/>: stage 1 (or the linear map),
    /// then stage 2 in a guest. Returns Ok, <see cref="AccessOutcome.PageFault"/> (nothing mapped, or outside the
    /// physical address map) or <see cref="AccessOutcome.Stage2Fault"/> (recorded in <see cref="LastStage2Abort"/>).
    /// Inspection only: nothing changes but <see cref="LastStage2Abort"/>.
    /// </summary>
    public AccessOutcome Translate(ulong va, Stage2Permissions need, out ulong pa, out Arm64MemoryType type)
    {
        pa = 0;
        type = default;
        if (!Stage1.TryTranslate(va, out var ipa, out var s1))
        {
            ipa = va;
            if (Stage2 is not null)
            {
                s1 = Arm64MemoryType.NormalWB;
            }
            else
            {
                var r = machine.Map.Find(va);
                if (r is null)
                {
                    return AccessOutcome.PageFault;
                }
                s1 = r.Kind == ResourceKind.Reserved ? Arm64MemoryType.DeviceNGnRE : Arm64MemoryType.NormalWB;
            }
        }
        if (Stage2 is { } s2)
        {
            if (!s2.TryGet(ipa, out var e))
            {
                LastStage2Abort = new Stage2Abort(ipa, va, need, Permission: false);
                return AccessOutcome.Stage2Fault;
            }
            if ((e.Permissions & need) != need)
            {
                LastStage2Abort = new Stage2Abort(ipa, va, need, Permission: true);
                return AccessOutcome.Stage2Fault;
            }
            pa = e.PhysicalPage + (ipa & (Arm64Stage2Table.PageSize - 1));
            type = Arm64Stage2.Combine(s1, e.Attr);
        }
        else
        {
            pa = ipa;
            type = s1;
        }
        return machine.Map.Find(pa) is null ? AccessOutcome.PageFault : AccessOutcome.Ok;
    }

    private AccessOutcome Fault(ulong va, int length, AccessOutcome outcome)
    {
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Fault, machine.Step, core.Index, null, va, length, -1, false, 0, Arm64Trace.FaultDetail + (long)outcome));
        }
        return outcome;
    }

    private static bool Misaligned(ulong va, int size) => (va & (ulong)(size - 1)) != 0;

    private static void CheckSize(int length)
    {
        if (length is not (1 or 2 or 4 or 8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"an AArch64 access of {length} bytes: a single LDR/STR is 1, 2, 4, 8 or 16 bytes");
        }
    }

    /// <summary>The size of the next access of a memcpy-like run: 8 bytes while 8 remain, then 4, 2, 1.</summary>
    private static int RunAccessSize(int remaining) => remaining >= 8 ? 8 : remaining >= 4 ? 4 : remaining >= 2 ? 2 : 1;

    private uint NewStoreOrigin(long step, int tenant) =>
        machine.Origins.Add(new Origin(OriginKind.Store, step, core.Index, tenant, -1, 0));

    private void EmitAccess(Arm64Instruction instruction, ulong pa, int length, uint origin, Arm64MemoryType type)
    {
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Arm64Access, machine.Step, core.Index, null, pa, length, -1, false, origin, Arm64Trace.Pack(instruction, type)));
        }
    }

    private void EmitMaintenance(Arm64Instruction instruction, ulong address, int detail = 0)
    {
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Arm64Maintenance, machine.Step, core.Index, null, address, Line, -1, false, 0, Arm64Trace.Pack(instruction, default, detail)));
        }
    }
}
