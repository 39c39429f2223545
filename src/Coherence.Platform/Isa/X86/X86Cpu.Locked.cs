using Coherence.Platform.Addressing;
using Coherence.Platform.Events;

namespace Coherence.Platform.Isa.X86;

public sealed partial class X86Cpu
{
    /// <summary>
    /// A locked read-modify-write (XCHG, LOCK XADD/ADD/CMPXCHG/AND/OR/XOR) of 1, 2, 4 or 8 bytes: a full fence before
    /// and after, and an atomic update of the line owned Modified in this CPU's L1. Returns the old value in
    /// <paramref name="old"/>. Only write-back memory is supported (a split or uncached lock is a bus lock the model
    /// does not need); other types fault with <see cref="AccessOutcome.AlignmentFault"/>, as does a line-crossing access.
    /// </summary>
    public AccessOutcome LockedRmw(ulong va, int size, LockedOp op, ulong operand, out ulong old, ulong comparand = 0, string? tenant = null)
    {
        if (size is not (1 or 2 or 4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"locked access of {size} bytes: must be 1, 2, 4 or 8");
        }
        var step = machine.BeginStep();
        old = 0;
        if (!TranslateAll(va, size, out _))
        {
            machine.EndStep();
            return AccessOutcome.PageFault;
        }
        Translate(va, out var pa, out var type);
        if (type != MemoryType.WriteBack || (pa & 63) + (ulong)size > 64)
        {
            machine.Emit(new MachineEvent(EventKind.Fault, step, core.Index, null, pa, size, -1, false, 0, 2));
            machine.EndStep();
            return AccessOutcome.AlignmentFault;
        }
        DrainAll();
        var line = pa & ~63UL;
        var off = (int)(pa - line);
        var slot = memory.AcquireForWrite(core.Index, line);
        var data = core.L1.Payload.Data(slot).Slice(off, size);
        Span<uint> origins = stackalloc uint[size];
        core.L1.Payload.ReadOrigins(slot, off, origins);
        foreach (var o in origins)
        {
            if (machine.IsPoison(o))
            {
                machine.RecordMachineCheck(core.Index, pa, o);
                machine.EndStep();
                return AccessOutcome.MachineCheck;
            }
        }
        for (var i = size - 1; i >= 0; i--)
        {
            old = (old << 8) | data[i];
        }
        var mask = size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;
        var value = op switch
        {
            LockedOp.Exchange => operand,
            LockedOp.Add => old + operand,
            LockedOp.CompareExchange => old == (comparand & mask) ? operand : old,
            LockedOp.And => old & operand,
            LockedOp.Or => old | operand,
            _ => old ^ operand,
        } & mask;
        if (value != old || op != LockedOp.CompareExchange)
        {
            var origin = NewStoreOrigin(step, machine.Origins.Tenant(tenant));
            for (var i = 0; i < size; i++)
            {
                data[i] = (byte)(value >> (8 * i));
            }
            core.L1.Payload.SetOrigin(slot, off, size, origin);
            origins.Fill(origin);
        }
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.LockedRmw, step, core.Index, core.L1.Name, pa, size, -1, true, origins[0], (long)op));
        }
        machine.EndStep();
        return AccessOutcome.Ok;
    }
}
