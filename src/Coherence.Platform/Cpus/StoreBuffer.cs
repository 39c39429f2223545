namespace Coherence.Platform.Cpus;

/// <summary>
/// A CPU's FIFO store buffer (x86-TSO): stores leave in program order; the CPU's own loads see its buffered stores
/// (forwarding), other CPUs do not. A fixed ring of entries, no allocation per store.
/// </summary>
public sealed class StoreBuffer
{
    private readonly StoreEntry[] ring;
    private int head;

    /// <summary>Creates a buffer of <paramref name="capacity"/> entries.</summary>
    public StoreBuffer(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentException($"store buffer capacity {capacity} must be at least 1", nameof(capacity));
        }
        ring = new StoreEntry[capacity];
    }

    /// <summary>Entries waiting.</summary>
    public int Count { get; private set; }

    /// <summary>Maximum entries.</summary>
    public int Capacity => ring.Length;

    /// <summary>True when no entry can be added until the oldest leaves.</summary>
    public bool IsFull => Count == ring.Length;

    /// <summary>The entry <paramref name="i"/> places after the oldest (0 = oldest).</summary>
    public ref StoreEntry At(int i) => ref ring[(head + i) % ring.Length];

    /// <summary>Appends an entry and returns it for filling; the buffer must not be full.</summary>
    internal ref StoreEntry Push()
    {
        if (IsFull)
        {
            throw new InvalidOperationException("store buffer is full");
        }
        ref var e = ref ring[(head + Count) % ring.Length];
        Count++;
        return ref e;
    }

    /// <summary>Removes the oldest entry.</summary>
    internal void Pop()
    {
        head = (head + 1) % ring.Length;
        Count--;
    }

    /// <summary>Forgets every entry (power failure).</summary>
    internal void Clear()
    {
        head = 0;
        Count = 0;
    }

    /// <summary>True when some entry is a store that overlaps the line at <paramref name="line"/>.</summary>
    public bool HasStoreTo(ulong line)
    {
        for (var i = 0; i < Count; i++)
        {
            ref var e = ref At(i);
            if (e.Kind == StoreEntryKind.Store && (e.Address & ~63UL) == line)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Overlays buffered stores onto a load of <paramref name="data"/>.Length bytes at <paramref name="address"/>,
    /// oldest to youngest so the youngest wins; returns the mask of bytes forwarded.
    /// </summary>
    public ulong Forward(ulong address, Span<byte> data, Span<uint> origins)
    {
        ulong mask = 0;
        var end = address + (ulong)data.Length;
        for (var i = 0; i < Count; i++)
        {
            ref var e = ref At(i);
            if (e.Kind != StoreEntryKind.Store)
            {
                continue;
            }
            var eEnd = e.Address + (ulong)e.Length;
            if (e.Address >= end || eEnd <= address)
            {
                continue;
            }
            var from = Math.Max(address, e.Address);
            var to = Math.Min(end, eEnd);
            for (var a = from; a < to; a++)
            {
                var k = (int)(a - address);
                data[k] = e.Data[(int)(a - e.Address)];
                origins[k] = e.Origin;
                mask |= 1UL << k;
            }
        }
        return mask;
    }
}
