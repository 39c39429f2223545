using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;
using Coherence.Platform.Events;
using Coherence.Platform.Memory;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Isa.X86;

/// <summary>
/// The x86 instructions of one core, with their architectural effect on the store buffer, write-combining buffers,
/// caches and devices. Every method is one step of the machine: it runs, then the chooser may run background actions.
/// Addresses are virtual, translated through the core's address space; accesses of up to 64 bytes may cross one
/// line boundary and are split per line.
/// </summary>
public sealed partial class X86Cpu
{
    private readonly Machine machine;
    private readonly CpuCore core;
    private readonly MemorySystem memory;
    private LineBuffer scratch;
    private LineOrigins scratchOrigins;

    internal X86Cpu(Machine machine, CpuCore core)
    {
        this.machine = machine;
        this.core = core;
        memory = machine.Memory;
    }

    /// <summary>The core this interface drives.</summary>
    public CpuCore Core => core;

    /// <summary>The CPU number.</summary>
    public int Index => core.Index;

    private bool Translate(ulong va, out ulong pa, out MemoryType type)
    {
        if (!core.AddressSpace.TryTranslate(va, out pa, out type) || machine.Map.Find(pa) is null)
        {
            return false;
        }
        return true;
    }

    /// <summary>Checks that every line of [va, va+length) translates; on failure emits a fault event.</summary>
    private bool TranslateAll(ulong va, int length, out ulong faultAddress)
    {
        var a = va;
        var end = va + (ulong)length;
        while (a < end)
        {
            if (!Translate(a, out _, out _))
            {
                faultAddress = a;
                EmitFault(a, length);
                return false;
            }
            a = (a & ~63UL) + 64;
        }
        faultAddress = 0;
        return true;
    }

    private void EmitFault(ulong va, int length)
    {
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Fault, machine.Step, core.Index, null, va, length, -1, false, 0, 0));
        }
    }

    private static void CheckLength(int length, int max = 64)
    {
        if (length < 1 || length > max)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"access of {length} bytes: must be 1 to {max}");
        }
    }

    private uint NewStoreOrigin(long step, int tenant) =>
        machine.Origins.Add(new Origin(OriginKind.Store, step, core.Index, tenant, -1, 0));
}
