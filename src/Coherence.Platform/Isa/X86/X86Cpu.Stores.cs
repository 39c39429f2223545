using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;
using Coherence.Platform.Events;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Isa.X86;

public sealed partial class X86Cpu
{
    /// <summary>
    /// MOV to memory: stores <paramref name="data"/> (1..64 bytes) at <paramref name="va"/> with a new origin labelled
    /// <paramref name="tenant"/>. WB, WT and UC stores enter the store buffer (TSO: they leave in order; this CPU's loads
    /// see them at once); WC-typed stores gather in a write-combining buffer.
    /// </summary>
    public AccessOutcome Store(ulong va, ReadOnlySpan<byte> data, string? tenant = null) => Store(va, data, machine.Origins.Tenant(tenant));

    /// <summary>As <see cref="Store(ulong, ReadOnlySpan{byte}, string?)"/> with a tenant id from <see cref="Provenance.OriginTable.Tenant"/>.</summary>
    public AccessOutcome Store(ulong va, ReadOnlySpan<byte> data, int tenant)
    {
        CheckLength(data.Length);
        var step = machine.BeginStep();
        var first = Math.Min(64 - (int)(va & 63), data.Length);
        if (!Translate(va, out var firstPa, out var type) || (first < data.Length && !TranslateAll(va + (ulong)first, data.Length - first, out _)))
        {
            EmitFault(va, data.Length);
            machine.EndStep();
            return AccessOutcome.PageFault;
        }
        var origin = NewStoreOrigin(step, tenant);
        StoreChunk(firstPa, type, data[..first], origin, step);
        if (first < data.Length)
        {
            Translate(va + (ulong)first, out var pa2, out var type2);
            StoreChunk(pa2, type2, data[first..], origin, step);
        }
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Store, step, core.Index, null, firstPa, data.Length, -1, false, origin, 0));
        }
        machine.EndStep();
        return AccessOutcome.Ok;
    }

    private void StoreChunk(ulong pa, MemoryType type, ReadOnlySpan<byte> data, uint origin, long step)
    {
        if (type.IsWriteCombining())
        {
            Gather(pa, data, origin, coherent: false);
        }
        else
        {
            Buffer(StoreEntryKind.Store, pa, type, data, origin, step);
        }
    }

    /// <summary>Stores an integer of 1, 2, 4 or 8 bytes, little-endian.</summary>
    public AccessOutcome StoreValue(ulong va, int size, ulong value, string? tenant = null)
    {
        Span<byte> b = stackalloc byte[8];
        for (var i = 0; i < size; i++)
        {
            b[i] = (byte)(value >> (8 * i));
        }
        return Store(va, b[..size], tenant);
    }

    private void Buffer(StoreEntryKind kind, ulong pa, MemoryType type, ReadOnlySpan<byte> data, uint origin, long step)
    {
        if (core.StoreBuffer.IsFull)
        {
            DrainOldestStore();
        }
        ref var e = ref core.StoreBuffer.Push();
        e.Kind = kind;
        e.Type = type;
        e.Address = pa;
        e.Length = data.Length;
        e.Origin = origin;
        e.Step = step;
        data.CopyTo(e.Data);
    }

    /// <summary>The oldest store-buffer entry takes effect (store visible, flush issued, SFENCE applied).</summary>
    internal void DrainOldestStore()
    {
        ref var e = ref core.StoreBuffer.At(0);
        var line = e.Address & ~63UL;
        switch (e.Kind)
        {
            case StoreEntryKind.Store:
                CommitStore(ref e, line);
                core.StoreBuffer.Pop();
                break;
            case StoreEntryKind.Clflush:
                core.StoreBuffer.Pop();
                memory.FlushLine(line, retain: false, core.Index);
                EmitFlushComplete(line, X86Instruction.Clflush);
                break;
            case StoreEntryKind.ClflushOpt:
            case StoreEntryKind.Clwb:
                core.PendingFlushes.Add(new PendingFlush(line, e.Kind == StoreEntryKind.Clwb, e.Step));
                core.StoreBuffer.Pop();
                break;
            case StoreEntryKind.Sfence:
                core.StoreBuffer.Pop();
                CompleteFlushes();
                DrainAllWc();
                break;
        }
    }

    private void CommitStore(ref StoreEntry e, ulong line)
    {
        var off = (int)(e.Address - line);
        ReadOnlySpan<byte> bytes = e.Data;
        bytes = bytes[..e.Length];
        switch (e.Type)
        {
            case MemoryType.WriteBack:
                {
                    var slot = memory.AcquireForWrite(core.Index, line);
                    bytes.CopyTo(core.L1.Payload.Data(slot)[off..]);
                    core.L1.Payload.SetOrigin(slot, off, e.Length, e.Origin);
                    break;
                }
            case MemoryType.WriteThrough:
                {
                    memory.WriteBackAndInvalidateOthers(line, memory.L1Index(core.Index), core.Index);
                    var slot = core.L1.Find(line);
                    if (slot >= 0)
                    {
                        bytes.CopyTo(core.L1.Payload.Data(slot)[off..]);
                        core.L1.Payload.SetOrigin(slot, off, e.Length, e.Origin);
                    }
                    WriteThrough(line, off, bytes, e.Origin);
                    break;
                }
            default:
                WriteThrough(line, off, bytes, e.Origin);
                break;
        }
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.StoreCommit, machine.Step, core.Index, core.L1.Name, e.Address, e.Length, -1, false, e.Origin, (long)e.Type));
        }
    }

    private void WriteThrough(ulong line, int off, ReadOnlySpan<byte> bytes, uint origin)
    {
        bytes.CopyTo(((Span<byte>)scratch)[off..]);
        ((Span<uint>)scratchOrigins).Slice(off, bytes.Length).Fill(origin);
        var mask = bytes.Length == 64 ? ulong.MaxValue : ((1UL << bytes.Length) - 1) << off;
        machine.WriteDeviceLine(line, scratch, scratchOrigins, OriginGrain.Byte, mask, core.Index, null, EventKind.WriteBack);
    }

    /// <summary>Drains this CPU's whole store buffer, in order.</summary>
    internal void DrainStores()
    {
        while (core.StoreBuffer.Count > 0)
        {
            DrainOldestStore();
        }
    }
}
