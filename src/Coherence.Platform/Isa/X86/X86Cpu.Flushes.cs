using Coherence.Platform.Choice;
using Coherence.Platform.Cpus;
using Coherence.Platform.Events;

namespace Coherence.Platform.Isa.X86;

public sealed partial class X86Cpu
{
    /// <summary>
    /// CLFLUSH: ordered with this CPU's stores (it travels through the store buffer); when it leaves the buffer the
    /// line is written back if dirty and invalidated in every cache of the coherence domain, synchronously.
    /// </summary>
    public AccessOutcome Clflush(ulong va) => IssueFlush(va, StoreEntryKind.Clflush, X86Instruction.Clflush);

    /// <summary>
    /// CLFLUSHOPT: like CLFLUSH, but once out of the store buffer it is only pending: it completes when the chooser
    /// says, and at the latest at the next SFENCE, MFENCE, locked instruction or WBINVD of this CPU.
    /// </summary>
    public AccessOutcome ClflushOpt(ulong va) => IssueFlush(va, StoreEntryKind.ClflushOpt, X86Instruction.ClflushOpt);

    /// <summary>
    /// CLWB: like CLFLUSHOPT, but the line may stay cached clean (a <see cref="ChoiceKind.ClwbRetain"/> decision when it
    /// completes; the plain chooser keeps it).
    /// </summary>
    public AccessOutcome Clwb(ulong va) => IssueFlush(va, StoreEntryKind.Clwb, X86Instruction.Clwb);

    private AccessOutcome IssueFlush(ulong va, StoreEntryKind kind, X86Instruction instruction)
    {
        var step = machine.BeginStep();
        if (!TranslateAll(va, 1, out _))
        {
            machine.EndStep();
            return AccessOutcome.PageFault;
        }
        Translate(va, out var pa, out var type);
        Buffer(kind, pa & ~63UL, type, [], 0, step);
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.FlushIssue, step, core.Index, null, pa & ~63UL, 64, -1, false, 0, (long)instruction));
        }
        machine.EndStep();
        return AccessOutcome.Ok;
    }

    /// <summary>Completes pending flush number <paramref name="index"/> (0 = oldest).</summary>
    internal void CompleteFlush(int index)
    {
        var f = core.PendingFlushes[index];
        core.PendingFlushes.RemoveAt(index);
        var retain = f.WriteBackOnly && machine.Decide(ChoiceKind.ClwbRetain, 2, 1) == 1;
        memory.FlushLine(f.Line, retain, core.Index);
        EmitFlushComplete(f.Line, f.WriteBackOnly ? X86Instruction.Clwb : X86Instruction.ClflushOpt);
    }

    private void CompleteFlushes()
    {
        while (core.PendingFlushes.Count > 0)
        {
            CompleteFlush(0);
        }
    }

    private void EmitFlushComplete(ulong line, X86Instruction instruction)
    {
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.FlushComplete, machine.Step, core.Index, null, line, 64, -1, false, 0, (long)instruction));
        }
    }
}
