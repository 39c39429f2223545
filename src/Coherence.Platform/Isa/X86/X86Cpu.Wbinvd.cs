using Coherence.Platform.Cpus;
using Coherence.Platform.Events;

namespace Coherence.Platform.Isa.X86;

public sealed partial class X86Cpu
{
    /// <summary>
    /// WBINVD: serialising (drains this CPU's buffers), then writes back every dirty line of this CPU's L1 and L2 and
    /// of its socket's LLC and invalidates them. Other cores' private caches and other sockets' LLCs are untouched:
    /// that is why the kernel runs it on every CPU. In a KVM guest it exits and is ignored (unless the hypervisor
    /// passes it through); in a TDX guest it raises #VE.
    /// </summary>
    public AccessOutcome Wbinvd() => WriteBackCaches(invalidate: true);

    /// <summary>WBNOINVD: as <see cref="Wbinvd"/> but lines stay cached, clean.</summary>
    public AccessOutcome Wbnoinvd() => WriteBackCaches(invalidate: false);

    private AccessOutcome WriteBackCaches(bool invalidate)
    {
        var step = machine.BeginStep();
        if (core.Guest == GuestKind.TdxGuest || (core.Guest == GuestKind.KvmGuest && !core.WbinvdPassthrough))
        {
            var outcome = core.Guest == GuestKind.TdxGuest ? AccessOutcome.VirtualizationException : AccessOutcome.TrappedAndIgnored;
            if (machine.Observed)
            {
                machine.Emit(new MachineEvent(EventKind.WbinvdTrapped, step, core.Index, null, 0, 0, -1, false, 0, (long)outcome));
            }
            machine.EndStep();
            return outcome;
        }
        DrainAll();
        var n = memory.WriteBackCache(memory.L1Index(core.Index), !invalidate, core.Index)
            + memory.WriteBackCache(memory.L2Index(core.Index), !invalidate, core.Index)
            + memory.WriteBackCache(memory.LlcIndex(core.Socket), !invalidate, core.Index);
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Wbinvd, step, core.Index, null, 0, 0, -1, false, 0, invalidate ? n : -n - 1));
        }
        machine.EndStep();
        return AccessOutcome.Ok;
    }
}
