using Coherence.Platform.Addressing;
using Coherence.Platform.Events;

namespace Coherence.Platform.Isa.X86;

public sealed partial class X86Cpu
{
    /// <summary>
    /// MOV from memory: loads <paramref name="data"/>.Length bytes (1..64) at <paramref name="va"/>, reporting each byte's
    /// origin in <paramref name="origins"/> (may be empty). Cacheable types read through the caches (filling L1 on a
    /// miss) and see this CPU's own buffered stores; UC waits for this CPU's older stores and reads the device; WC reads
    /// the device. A poisoned byte raises a machine check (<see cref="AccessOutcome.MachineCheck"/>).
    /// </summary>
    public AccessOutcome Load(ulong va, Span<byte> data, Span<uint> origins = default)
    {
        CheckLength(data.Length);
        var step = machine.BeginStep();
        Span<uint> o = origins.IsEmpty ? stackalloc uint[data.Length] : origins[..data.Length];
        var first = Math.Min(64 - (int)(va & 63), data.Length);
        if (!Translate(va, out var firstPa, out var type) || (first < data.Length && !TranslateAll(va + (ulong)first, data.Length - first, out _)))
        {
            EmitFault(va, data.Length);
            machine.EndStep();
            return AccessOutcome.PageFault;
        }
        LoadChunk(firstPa, type, data[..first], o[..first]);
        if (first < data.Length)
        {
            Translate(va + (ulong)first, out var pa2, out var type2);
            LoadChunk(pa2, type2, data[first..], o[first..]);
        }
        var outcome = AccessOutcome.Ok;
        var poisoned = machine.FirstPoison(o);
        if (poisoned >= 0)
        {
            Translate(va + (ulong)poisoned, out var ppa, out _);
            machine.RecordMachineCheck(core.Index, ppa, o[poisoned]);
            outcome = AccessOutcome.MachineCheck;
        }
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Load, step, core.Index, null, firstPa, data.Length, -1, false, o[0], (long)outcome));
        }
        machine.EndStep();
        return outcome;
    }

    private void LoadChunk(ulong pa, MemoryType type, Span<byte> dst, Span<uint> dstOrigins)
    {
        var line = pa & ~63UL;
        var off = (int)(pa - line);
        DrainWcFor(line);
        if (type.IsCacheable())
        {
            memory.LoadCached(core, line, off, dst, dstOrigins);
        }
        else
        {
            if (type == MemoryType.Uncached)
            {
                DrainStores();
            }
            machine.ReadDeviceLineBytes(line, scratch, scratchOrigins);
            ((Span<byte>)scratch).Slice(off, dst.Length).CopyTo(dst);
            ((Span<uint>)scratchOrigins).Slice(off, dst.Length).CopyTo(dstOrigins);
        }
        if (core.StoreBuffer.Count > 0)
        {
            core.StoreBuffer.Forward(pa, dst, dstOrigins);
        }
    }

    /// <summary>Loads an unsigned little-endian integer of 1, 2, 4 or 8 bytes.</summary>
    public AccessOutcome LoadValue(ulong va, int size, out ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        var outcome = Load(va, b[..size]);
        value = 0;
        for (var i = size - 1; i >= 0; i--)
        {
            value = (value << 8) | b[i];
        }
        return outcome;
    }
}
