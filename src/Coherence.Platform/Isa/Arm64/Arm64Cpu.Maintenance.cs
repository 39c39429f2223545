using Coherence.Platform.Addressing;
using Coherence.Platform.Events;

namespace Coherence.Platform.Isa.Arm64;

public sealed partial class Arm64Cpu
{
    /// <summary>
    /// DC CVAC: clean the line holding <paramref name="va"/> to the point of coherence — a dirty copy in any cache of
    /// the machine is written back (to the device's write-pending queue when the persistence domain leaves it outside),
    /// copies stay cached clean. Works whatever the page's memory type (that is how a non-cacheable alias is made
    /// consistent). Checked as a read at stage 2.
    /// </summary>
    public AccessOutcome DcCvac(ulong va) => CleanLine(va, Arm64Instruction.DcCvac);

    /// <summary>
    /// DC CVAP (FEAT_DCPoP): clean the line to the point of persistence — as DC CVAC, and the line's write in the
    /// device's write-pending queue, if any, reaches the media. Without <see cref="Arm64Features.DcPop"/> it is an
    /// undefined instruction (<see cref="AccessOutcome.UndefinedInstruction"/>).
    /// </summary>
    public AccessOutcome DcCvap(ulong va) => CleanLine(va, Arm64Instruction.DcCvap);

    /// <summary>DC CIVAC: clean and invalidate the line to the point of coherence — a dirty copy is written back and
    /// every copy is invalidated.</summary>
    public AccessOutcome DcCivac(ulong va) => CleanLine(va, Arm64Instruction.DcCivac);

    /// <summary>
    /// DC IVAC: invalidate the line to the point of coherence — every cached copy is dropped, a dirty one without
    /// being written back (its data is lost). Checked as a write at stage 2. On a CPU running a guest it is executed
    /// as DC CIVAC, as the architecture does at EL1 when stage 2 is enabled (HCR_EL2.VM), so a guest cannot discard
    /// data the host wrote.
    /// </summary>
    public AccessOutcome DcIvac(ulong va)
    {
        machine.BeginStep();
        var outcome = Stage2 is not null ? CleanLineAccess(va, Arm64Instruction.DcCivac) : InvalidateLineAccess(va);
        machine.EndStep();
        return outcome;
    }

    private AccessOutcome InvalidateLineAccess(ulong va)
    {
        var outcome = Translate(va, Stage2Permissions.Write, out var pa, out var type);
        if (outcome != AccessOutcome.Ok)
        {
            return Fault(va, Line, outcome);
        }
        LastAccess = new Arm64Translation(va, pa, type);
        var line = pa & ~(ulong)(Line - 1);
        EmitMaintenance(Arm64Instruction.DcIvac, line);
        DrainWcFor(line);
        memory.InvalidateCopies(line, -1, core.Index);
        return AccessOutcome.Ok;
    }

    private AccessOutcome CleanLine(ulong va, Arm64Instruction instruction)
    {
        machine.BeginStep();
        var outcome = CleanLineAccess(va, instruction);
        machine.EndStep();
        return outcome;
    }

    private AccessOutcome CleanLineAccess(ulong va, Arm64Instruction instruction)
    {
        if (instruction == Arm64Instruction.DcCvap && (Features & Arm64Features.DcPop) == 0)
        {
            return Fault(va, Line, AccessOutcome.UndefinedInstruction);
        }
        var outcome = Translate(va, Stage2Permissions.Read, out var pa, out var type);
        if (outcome != AccessOutcome.Ok)
        {
            return Fault(va, Line, outcome);
        }
        LastAccess = new Arm64Translation(va, pa, type);
        CleanPhysicalLine(pa & ~(ulong)(Line - 1), instruction);
        return AccessOutcome.Ok;
    }

    private void CleanPhysicalLine(ulong line, Arm64Instruction instruction)
    {
        EmitMaintenance(instruction, line);
        DrainWcFor(line);
        memory.FlushLine(line, retain: instruction != Arm64Instruction.DcCivac, core.Index);
        if (instruction == Arm64Instruction.DcCvap)
        {
            PushToPersistence(line);
        }
    }

    /// <summary>The point of persistence is the media: the line's queued write, if any, leaves the write-pending queue.</summary>
    private void PushToPersistence(ulong line)
    {
        var r = machine.Map.Resolve(line);
        var device = r.Device;
        if (device.PendingLines == 0)
        {
            return;
        }
        var offset = r.DeviceOffset + (line - r.Start);
        if (device.DrainQueue(offset) > 0 && machine.Observed)
        {
            // Like the machine's own queue drains, the event names the line by its device offset.
            machine.Emit(new MachineEvent(EventKind.QueueDrain, machine.Step, core.Index, null, offset, Line, device.Index, false, 0, 1));
        }
    }

    /// <summary>
    /// DC ZVA: writes zeros to the 64-byte block holding <paramref name="va"/> (DCZID_EL0.BS = 4), with a new origin
    /// labelled <paramref name="tenant"/>, like a store of the whole block of the page's memory type. On Device memory
    /// it is an alignment fault, whatever the address.
    /// </summary>
    public AccessOutcome DcZva(ulong va, string? tenant = null)
    {
        var step = machine.BeginStep();
        var block = va & ~(ulong)(Line - 1);
        var outcome = Translate(block, Stage2Permissions.Write, out var pa, out var type);
        if (outcome == AccessOutcome.Ok)
        {
            LastAccess = new Arm64Translation(va, pa, type);
            if (type.IsDevice())
            {
                outcome = AccessOutcome.AlignmentFault;
            }
        }
        if (outcome != AccessOutcome.Ok)
        {
            Fault(va, Line, outcome);
        }
        else
        {
            Span<byte> zeros = stackalloc byte[Line];
            zeros.Clear();
            StoreChunk(pa, type, zeros, NewStoreOrigin(step, machine.Origins.Tenant(tenant)), Arm64Instruction.DcZva);
        }
        machine.EndStep();
        return outcome;
    }

    /// <summary>
    /// DSB: completes this CPU's earlier memory accesses of the kind's type. In the model loads, stores and DC
    /// operations take effect when they execute; what may still be outstanding are gathered writes in this CPU's
    /// write-combining buffers, which DSB SY and DSB ST drain (DSB LD waits for loads only: nothing to do).
    /// </summary>
    public void Dsb(Arm64BarrierKind kind = Arm64BarrierKind.Full)
    {
        machine.BeginStep();
        EmitMaintenance(Arm64Instruction.Dsb, 0, (int)kind);
        if (kind != Arm64BarrierKind.Loads)
        {
            DrainAllWc();
        }
        machine.EndStep();
    }

    /// <summary>DMB: orders this CPU's accesses; the model executes them in program order already, so it is only
    /// recorded. (It does not complete gathered writes: that takes a DSB.)</summary>
    public void Dmb(Arm64BarrierKind kind = Arm64BarrierKind.Full)
    {
        machine.BeginStep();
        EmitMaintenance(Arm64Instruction.Dmb, 0, (int)kind);
        machine.EndStep();
    }

    /// <summary>
    /// DC CVAC over [<paramref name="physicalAddress"/>, +<paramref name="length"/>) through the host kernel's linear
    /// map, without translating through <see cref="Stage1"/> or <see cref="Stage2"/>: what KVM's
    /// <c>clean_dcache_guest_page</c> does on the vCPU's physical CPU before it maps a page cacheable without FWB.
    /// One machine step.
    /// </summary>
    public void CleanToPocPhysical(ulong physicalAddress, ulong length)
    {
        machine.CheckPhysical(physicalAddress, length);
        machine.BeginStep();
        for (var line = physicalAddress & ~(ulong)(Line - 1); line < physicalAddress + length; line += Line)
        {
            CleanPhysicalLine(line, Arm64Instruction.DcCvac);
        }
        machine.EndStep();
    }
}
