using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;
using Coherence.Platform.Events;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Isa.Arm64;

public sealed partial class Arm64Cpu
{
    /// <summary>
    /// STR (1, 2, 4, 8 bytes) or STR Q / STP X (16 bytes) of <paramref name="data"/> at <paramref name="va"/>, with a
    /// new origin labelled <paramref name="tenant"/>. Normal-WB writes into this CPU's L1 (the line fetched for
    /// ownership); Normal-WT also writes memory; Normal-NC and Device-GRE gather in a write-combining buffer;
    /// Device-nGRE/nGnRE/nGnRnE write the device at once, one transaction each. Non-cacheable stores leave every
    /// cached copy of the line as it was. Device memory needs the access aligned to its size.
    /// </summary>
    public AccessOutcome Store(ulong va, ReadOnlySpan<byte> data, string? tenant = null)
    {
        CheckSize(data.Length);
        var step = machine.BeginStep();
        var origin = NewStoreOrigin(step, machine.Origins.Tenant(tenant));
        var outcome = StoreAccess(va, data, origin, Arm64Instruction.Str);
        machine.EndStep();
        return outcome;
    }

    /// <summary>
    /// A run of stores issued back to back in one machine step, as a memcpy to <paramref name="va"/> does: 8-byte STRs
    /// while 8 bytes remain, then 4, 2 and 1 (so every access of a run from an 8-aligned address is aligned). No
    /// background action runs between the accesses, so gathering types gather the run (one write per line) while
    /// non-gathering Device types write once per access. One origin covers the run. Stops at the first access that
    /// does not complete and returns its outcome (the accesses before it took effect).
    /// </summary>
    public AccessOutcome StoreSequence(ulong va, ReadOnlySpan<byte> data, string? tenant = null)
    {
        if (data.IsEmpty)
        {
            return AccessOutcome.Ok;
        }
        var step = machine.BeginStep();
        var origin = NewStoreOrigin(step, machine.Origins.Tenant(tenant));
        var outcome = AccessOutcome.Ok;
        for (var done = 0; done < data.Length && outcome == AccessOutcome.Ok;)
        {
            var n = RunAccessSize(data.Length - done);
            outcome = StoreAccess(va + (ulong)done, data.Slice(done, n), origin, Arm64Instruction.Str);
            done += n;
        }
        machine.EndStep();
        return outcome;
    }

    private AccessOutcome StoreAccess(ulong va, ReadOnlySpan<byte> data, uint origin, Arm64Instruction instruction)
    {
        var length = data.Length;
        var outcome = Translate(va, Stage2Permissions.Write, out var pa, out var type);
        if (outcome != AccessOutcome.Ok)
        {
            return Fault(va, length, outcome);
        }
        LastAccess = new Arm64Translation(va, pa, type);
        if (type.IsDevice() && Misaligned(va, length))
        {
            return Fault(va, length, AccessOutcome.AlignmentFault);
        }
        var first = Math.Min(Line - (int)(va & (Line - 1)), length);
        ulong pa2 = 0;
        var type2 = type;
        if (first < length)
        {
            outcome = Translate(va + (ulong)first, Stage2Permissions.Write, out pa2, out type2);
            if (outcome != AccessOutcome.Ok)
            {
                return Fault(va + (ulong)first, length - first, outcome);
            }
        }
        StoreChunk(pa, type, data[..first], origin, instruction);
        if (first < length)
        {
            StoreChunk(pa2, type2, data[first..], origin, instruction);
        }
        return AccessOutcome.Ok;
    }

    private void StoreChunk(ulong pa, Arm64MemoryType type, ReadOnlySpan<byte> bytes, uint origin, Arm64Instruction instruction)
    {
        var line = pa & ~(ulong)(Line - 1);
        var off = (int)(pa - line);
        EmitAccess(instruction, pa, bytes.Length, origin, type);
        switch (type)
        {
            case Arm64MemoryType.NormalWB:
                {
                    DrainWcFor(line);
                    var slot = memory.AcquireForWrite(core.Index, line);
                    bytes.CopyTo(core.L1.Payload.Data(slot)[off..]);
                    core.L1.Payload.SetOrigin(slot, off, bytes.Length, origin);
                    break;
                }
            case Arm64MemoryType.NormalWT:
                {
                    DrainWcFor(line);
                    memory.WriteBackAndInvalidateOthers(line, memory.L1Index(core.Index), core.Index);
                    var slot = core.L1.Find(line);
                    if (slot >= 0)
                    {
                        bytes.CopyTo(core.L1.Payload.Data(slot)[off..]);
                        core.L1.Payload.SetOrigin(slot, off, bytes.Length, origin);
                    }
                    WriteMemory(line, off, bytes, origin, EventKind.WriteBack);
                    break;
                }
            case Arm64MemoryType.NormalNC:
            case Arm64MemoryType.DeviceGRE:
                Gather(line, off, bytes, origin);
                break;
            default:
                DrainWcFor(line);
                WriteMemory(line, off, bytes, origin, EventKind.UncachedWrite);
                break;
        }
    }

    /// <summary>One write transaction of the bytes to the device, not snooping the caches.</summary>
    private void WriteMemory(ulong line, int off, ReadOnlySpan<byte> bytes, uint origin, EventKind kind)
    {
        bytes.CopyTo(((Span<byte>)scratch)[off..]);
        ((Span<uint>)scratchOrigins).Slice(off, bytes.Length).Fill(origin);
        var mask = bytes.Length == Line ? ulong.MaxValue : ((1UL << bytes.Length) - 1) << off;
        machine.WriteDeviceLine(line, scratch, scratchOrigins, OriginGrain.Byte, mask, core.Index, null, kind);
        WriteTransactions++;
    }

    /// <summary>Gathers bytes of a non-coherent store into a write-combining buffer for the line (opening one, the
    /// oldest in use drained first when none is free). A buffer drains as one write, so each opened buffer is one
    /// write transaction.</summary>
    private void Gather(ulong line, int off, ReadOnlySpan<byte> bytes, uint origin)
    {
        var inUse = core.WcInUse;
        var target = core.WcBufferFor(line, coherent: false);
        if (target is null)
        {
            DrainWc(core.OldestWcBuffer());
            inUse = core.WcInUse;
            target = core.WcBufferFor(line, coherent: false)!;
        }
        if (core.WcInUse > inUse)
        {
            WriteTransactions++;
        }
        target.Gather(off, bytes, origin);
    }

    /// <summary>Writes one write-combining buffer to its device (the same drain the machine's background action runs).</summary>
    private void DrainWc(WcBuffer wc) => machine.X86[core.Index].DrainWc(wc);

    private void DrainWcFor(ulong line)
    {
        if (core.WcInUse == 0)
        {
            return;
        }
        foreach (var wc in core.WcBuffers)
        {
            if (wc.InUse && wc.Line == line)
            {
                DrainWc(wc);
            }
        }
    }

    private void DrainAllWc()
    {
        while (core.WcInUse > 0)
        {
            WcBuffer? oldest = null;
            foreach (var wc in core.WcBuffers)
            {
                if (wc.InUse && (oldest is null || wc.Sequence < oldest.Sequence))
                {
                    oldest = wc;
                }
            }
            DrainWc(oldest!);
        }
    }
}
