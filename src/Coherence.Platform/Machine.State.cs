using Coherence.Platform.State;

namespace Coherence.Platform;

/// <summary>A canonical hash of the machine's state, for state-space search.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// Adds the machine's behaviour-relevant state to <paramref name="h"/>: every CPU's store buffer, WC buffers and
    /// pending flushes; every valid cache line (cache, line address, MOESI state, bytes) in address order; the media
    /// and write-pending queue of each touched device line; lock states and epochs. Origins (provenance) are left
    /// out unless <paramref name="includeOrigins"/>: ids depend on the path taken, not on the state reached.
    /// Replacement-policy order is left out too: a search must keep caches large enough that no set fills, or
    /// accept that states differing only in LRU order are merged.
    /// </summary>
    public void HashState(ref StateHasher h, bool includeOrigins = false)
    {
        Span<uint> origins = stackalloc uint[64];
        foreach (var cpu in cpuArray)
        {
            var sb = cpu.StoreBuffer;
            h.Add((ulong)sb.Count);
            for (var i = 0; i < sb.Count; i++)
            {
                ref var e = ref sb.At(i);
                h.Add(((ulong)e.Kind << 56) | ((ulong)e.Type << 48) | (uint)e.Length);
                h.Add(e.Address);
                ReadOnlySpan<byte> data = e.Data;
                h.Add(data[..e.Length]);
                if (includeOrigins)
                {
                    h.Add(e.Origin);
                }
            }
            foreach (var wc in cpu.WcBuffers)
            {
                if (!wc.InUse)
                {
                    continue;
                }
                h.Add(wc.Line);
                h.Add(wc.Mask);
                h.Add(wc.Coherent ? 1UL : 0UL);
                ReadOnlySpan<byte> data = wc.Data;
                h.Add(data);
            }
            h.Add(0xFFUL);
            h.Add((ulong)cpu.PendingFlushes.Count);
            foreach (var f in cpu.PendingFlushes)
            {
                h.Add(f.Line ^ (f.WriteBackOnly ? 1UL : 0UL));
            }
        }
        var lines = new List<(ulong Line, int Cache, int Slot)>();
        for (var k = 0; k < Memory.CacheCount; k++)
        {
            var cache = Memory.Cache(k);
            lines.Clear();
            for (var slot = cache.NextValid(0); slot >= 0; slot = cache.NextValid(slot + 1))
            {
                lines.Add((cache.AddressOf(slot), k, slot));
            }
            lines.Sort((x, y) => x.Line.CompareTo(y.Line));
            h.Add((ulong)k << 32 | (uint)lines.Count);
            foreach (var (line, _, slot) in lines)
            {
                h.Add(line);
                h.Add((ulong)cache.StateOf(slot));
                h.Add(cache.Payload.Data(slot));
                if (includeOrigins)
                {
                    cache.Payload.ReadOrigins(slot, 0, origins);
                    h.AddIds(origins);
                }
            }
        }
        Span<byte> data64 = stackalloc byte[64];
        foreach (var d in devices)
        {
            h.Add(((ulong)d.Epoch << 1) | (d.IsLocked ? 1UL : 0UL));
            foreach (var line in d.StoredLineOffsets())
            {
                d.ReadMedia(line, data64, origins);
                h.Add(line);
                h.Add(data64);
                if (includeOrigins)
                {
                    h.AddIds(origins);
                }
            }
            foreach (var line in d.QueuedLines())
            {
                d.Read(line, data64, origins);
                h.Add(~line);
                h.Add(data64);
            }
        }
        HashTdOwnership(ref h);
    }
}
