using Coherence.Platform.Addressing;
using Coherence.Platform.Cpus;
using Coherence.Platform.Events;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Isa.X86;

public sealed partial class X86Cpu
{
    /// <summary>
    /// MOVNTI (4 or 8 bytes), MOVNTDQ (16), VMOVNTDQ (32 or 64): a non-temporal store. It bypasses the store buffer
    /// (non-temporal stores are weakly ordered) and gathers in a write-combining buffer; when that buffer drains, a
    /// cached copy of the line is written back if dirty and invalidated everywhere, then the bytes reach the device.
    /// 16-, 32- and 64-byte forms need natural alignment (<see cref="AccessOutcome.AlignmentFault"/> otherwise).
    /// To keep same-address order, older buffered stores to the same line, and any buffered SFENCE, leave the store
    /// buffer first.
    /// </summary>
    public AccessOutcome StoreNonTemporal(ulong va, ReadOnlySpan<byte> data, string? tenant = null)
    {
        var n = data.Length;
        if (n is not (4 or 8 or 16 or 32 or 64))
        {
            throw new ArgumentOutOfRangeException(nameof(data), $"non-temporal store of {n} bytes: must be 4, 8 (MOVNTI), 16 (MOVNTDQ), 32 or 64");
        }
        var step = machine.BeginStep();
        if (n >= 16 && va % (ulong)n != 0)
        {
            machine.Emit(new MachineEvent(EventKind.Fault, step, core.Index, null, va, n, -1, false, 0, 1));
            machine.EndStep();
            return AccessOutcome.AlignmentFault;
        }
        if (!TranslateAll(va, n, out _))
        {
            machine.EndStep();
            return AccessOutcome.PageFault;
        }
        var origin = NewStoreOrigin(step, machine.Origins.Tenant(tenant));
        var done = 0;
        while (done < n)
        {
            var a = va + (ulong)done;
            var k = Math.Min(64 - (int)(a & 63), n - done);
            Translate(a, out var pa, out var type);
            // On an uncached mapping a non-temporal hint is ignored: the store is an ordinary UC store.
            if (type == MemoryType.Uncached)
            {
                Buffer(StoreEntryKind.Store, pa, type, data.Slice(done, k), origin, step);
            }
            else
            {
                Gather(pa, data.Slice(done, k), origin, coherent: type != MemoryType.WriteCombining);
            }
            done += k;
        }
        machine.EndStep();
        return AccessOutcome.Ok;
    }

    /// <summary>
    /// MOVDIR64B: a 64-byte direct store of a whole line. <paramref name="va"/> must be 64-byte aligned: otherwise an
    /// <see cref="ArgumentException"/> names the address and nothing changes. Like a non-temporal store it is weakly
    /// ordered and invalidates cached copies when it reaches the device, which it does as one full-line write.
    /// </summary>
    public AccessOutcome DirectStore64(ulong va, ReadOnlySpan<byte> data, string? tenant = null)
    {
        if (va % 64 != 0)
        {
            throw new ArgumentException($"MOVDIR64B destination 0x{va:x} is not 64-byte aligned", nameof(va));
        }
        if (data.Length != 64)
        {
            throw new ArgumentException($"MOVDIR64B stores exactly 64 bytes, not {data.Length}", nameof(data));
        }
        var step = machine.BeginStep();
        if (!TranslateAll(va, 64, out _))
        {
            machine.EndStep();
            return AccessOutcome.PageFault;
        }
        Translate(va, out var pa, out _);
        var origin = NewStoreOrigin(step, machine.Origins.Tenant(tenant));
        Gather(pa, data, origin, coherent: true);
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.DirectStore, step, core.Index, null, pa, 64, -1, false, origin, 0));
        }
        machine.EndStep();
        return AccessOutcome.Ok;
    }

    private void Gather(ulong pa, ReadOnlySpan<byte> bytes, uint origin, bool coherent)
    {
        var line = pa & ~63UL;
        var off = (int)(pa - line);
        if (core.StoreBuffer.Count > 0 && (core.StoreBuffer.HasStoreTo(line) || HasBufferedSfence()))
        {
            DrainStores();
        }
        var target = core.WcBufferFor(line, coherent);
        if (target is null)
        {
            DrainWc(core.OldestWcBuffer());
            target = core.WcBufferFor(line, coherent)!;
        }
        target.Gather(off, bytes, origin);
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.WcGather, machine.Step, core.Index, null, pa, bytes.Length, -1, false, origin, coherent ? 1 : 0));
        }
    }

    private bool HasBufferedSfence()
    {
        for (var i = 0; i < core.StoreBuffer.Count; i++)
        {
            if (core.StoreBuffer.At(i).Kind == StoreEntryKind.Sfence)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes one write-combining buffer to its device (after invalidating cached copies if coherent).</summary>
    internal void DrainWc(WcBuffer wc)
    {
        if (!wc.InUse)
        {
            return;
        }
        if (wc.Coherent)
        {
            memory.FlushLine(wc.Line, retain: false, core.Index);
        }
        machine.WriteDeviceLine(wc.Line, wc.Data, wc.Origins, OriginGrain.Byte, wc.Mask, core.Index, null, EventKind.WcDrain);
        wc.Reset();
        core.WcInUse--;
    }

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
        while (true)
        {
            WcBuffer? oldest = null;
            foreach (var wc in core.WcBuffers)
            {
                if (wc.InUse && (oldest is null || wc.Sequence < oldest.Sequence))
                {
                    oldest = wc;
                }
            }
            if (oldest is null)
            {
                return;
            }
            DrainWc(oldest);
        }
    }
}
