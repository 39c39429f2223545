using Coherence.Platform.Cpus;
using Coherence.Platform.Events;

namespace Coherence.Platform.Isa.X86;

public sealed partial class X86Cpu
{
    /// <summary>
    /// SFENCE: enters the store buffer behind older stores and flushes; when it leaves, every pending CLFLUSHOPT/CLWB
    /// of this CPU completes and every write-combining buffer drains, before any younger store or non-temporal store.
    /// Loads may still pass it (it does not drain the store buffer).
    /// </summary>
    public void Sfence()
    {
        var step = machine.BeginStep();
        Buffer(StoreEntryKind.Sfence, 0, default, [], 0, step);
        EmitFence(step, X86Instruction.Sfence);
        machine.EndStep();
    }

    /// <summary>MFENCE: drains the store buffer, completes pending flushes and drains write-combining buffers, now.</summary>
    public void Mfence()
    {
        var step = machine.BeginStep();
        DrainAll();
        EmitFence(step, X86Instruction.Mfence);
        machine.EndStep();
    }

    /// <summary>LFENCE: loads in this model already execute in order, so it changes nothing; it is recorded.</summary>
    public void Lfence()
    {
        var step = machine.BeginStep();
        EmitFence(step, X86Instruction.Lfence);
        machine.EndStep();
    }

    /// <summary>Everything buffered by this CPU takes effect: stores in order, then flushes, then WC buffers.</summary>
    internal void DrainAll()
    {
        DrainStores();
        CompleteFlushes();
        DrainAllWc();
    }

    /// <summary>
    /// Retires everything this CPU issued: its store buffer drains in order (stores become visible, CLFLUSH runs,
    /// CLFLUSHOPT/CLWB become pending, a buffered SFENCE applies) — and nothing more: no fence is added, so a
    /// CLWB without a later SFENCE stays pending. Used for "this CPU reached this point" (a durability point).
    /// </summary>
    public void Retire()
    {
        machine.BeginStep();
        DrainStores();
        machine.EndStep();
    }

    /// <summary>Drains in the order of the background-action list: store buffer, WC buffers by index, flushes.</summary>
    internal void DrainInListOrder()
    {
        DrainStores();
        if (core.WcInUse > 0)
        {
            foreach (var wc in core.WcBuffers)
            {
                DrainWc(wc);
            }
        }
        CompleteFlushes();
    }

    private void EmitFence(long step, X86Instruction instruction)
    {
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Fence, step, core.Index, null, 0, 0, -1, false, 0, (long)instruction));
        }
    }
}
