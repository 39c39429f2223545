using Coherence.Platform.Provenance;

namespace Coherence.Platform.Devices;

/// <summary>
/// A memory device (DRAM, NVDIMM, CXL type-3): sparse 64-byte lines with per-byte origins, erased in O(1) by an
/// epoch, optionally locked, optionally persistent. Create devices through <see cref="Machine.AddDevice"/>; every
/// state change goes through the machine so that it is an observable event.
/// </summary>
/// <remarks>
/// Invariant: a line never written in the current epoch reads as <see cref="FillByte"/> with origin
/// <see cref="FillOrigin"/>. Writes that the persistence domain does not yet cover sit in the device's write-pending
/// queue (<see cref="PendingLines"/>) until drained; reads see them.
/// </remarks>
public sealed class MemoryDevice
{
    private readonly LineStore store = new();
    private readonly Dictionary<ulong, WpqLine> wpq = [];

    internal MemoryDevice(int index, string name, DeviceKind kind, ulong capacity, bool persistent, LockedReadMode lockedReadMode)
    {
        Index = index;
        Name = name;
        Kind = kind;
        Capacity = capacity;
        IsPersistent = persistent;
        LockedReadMode = lockedReadMode;
    }

    /// <summary>The device's index in <see cref="Machine.Devices"/>.</summary>
    public int Index { get; }

    /// <summary>The device's name (for example <c>cxl0</c>).</summary>
    public string Name { get; }

    /// <summary>The kind of device.</summary>
    public DeviceKind Kind { get; }

    /// <summary>Capacity in bytes (a multiple of 64).</summary>
    public ulong Capacity { get; }

    /// <summary>True when the media keeps its contents across power failure.</summary>
    public bool IsPersistent { get; }

    /// <summary>What reads return while the device is locked.</summary>
    public LockedReadMode LockedReadMode { get; }

    /// <summary>True while the device is locked: reads return poison or all-ones, writes are dropped.</summary>
    public bool IsLocked { get; internal set; }

    /// <summary>The current erase epoch (0 until the first erase).</summary>
    public uint Epoch { get; private set; }

    /// <summary>The byte untouched lines read as in the current epoch.</summary>
    public byte FillByte { get; private set; }

    /// <summary>The origin id of untouched lines in the current epoch.</summary>
    public uint FillOrigin { get; private set; }

    /// <summary>The origin id of poison returned by this device (media poison and locked reads).</summary>
    public uint PoisonOrigin { get; internal set; }

    /// <summary>The origin id of the all-ones a locked device returns.</summary>
    public uint LockedOrigin { get; internal set; }

    /// <summary>The origin of the zeros a TD-private line returns through another KeyID (see Machine.Tdx.cs).</summary>
    public uint TdPrivateOrigin { get; internal set; }

    /// <summary>Lines stored (touched at some time, including lines of earlier epochs not yet reused).</summary>
    public int StoredLines => store.SlotCount;

    /// <summary>Lines written but still in the write-pending queue.</summary>
    public int PendingLines => wpq.Count;

    /// <summary>Approximate managed bytes used by the line storage.</summary>
    public long StorageBytes => store.ApproximateBytes;

    internal void StartEpoch(byte fill, uint origin, bool bumpEpoch)
    {
        if (bumpEpoch)
        {
            Epoch++;
        }
        FillByte = fill;
        FillOrigin = origin;
        wpq.Clear();
    }

    internal void CheckRange(ulong offset, ulong length)
    {
        if (offset >= Capacity || length > Capacity - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"offset 0x{offset:x} (+{length}) is outside device {Name} of 0x{Capacity:x} bytes");
        }
    }

    /// <summary>
    /// Reads the line at <paramref name="lineOffset"/> as a CPU or agent sees it: a locked device answers with poison
    /// or all-ones; otherwise the write-pending queue, then the media, then the epoch's fill. The origins come as ids
    /// in the returned grain (<paramref name="ids"/> needs room for 64).
    /// </summary>
    internal OriginGrain Read(ulong lineOffset, Span<byte> data, Span<uint> ids)
    {
        if (IsLocked)
        {
            data[..LineStore.LineSize].Fill(0xFF);
            ids[0] = LockedReadMode == LockedReadMode.Poison ? PoisonOrigin : LockedOrigin;
            return OriginGrain.Line;
        }
        if (wpq.Count > 0 && wpq.TryGetValue(lineOffset, out var pending))
        {
            pending.Data.CopyTo(data);
            return OriginGrains.Compress(pending.Origins, ids);
        }
        return ReadMediaIds(lineOffset, data, ids);
    }

    /// <summary>Reads what the media holds at <paramref name="lineOffset"/>, ignoring the lock and the write-pending queue.</summary>
    public void ReadMedia(ulong lineOffset, Span<byte> data, Span<uint> origins)
    {
        Span<uint> ids = stackalloc uint[LineStore.LineSize];
        ReadMediaIds(lineOffset, data, ids).Expand(ids, 0, origins[..LineStore.LineSize]);
    }

    /// <summary>As <see cref="ReadMedia"/>, with the origins as ids in the returned grain.</summary>
    private OriginGrain ReadMediaIds(ulong lineOffset, Span<byte> data, Span<uint> ids)
    {
        var entry = store.Find(lineOffset >> 6);
        if (entry < 0 || store.EpochOf(entry) != Epoch)
        {
            data[..LineStore.LineSize].Fill(FillByte);
            ids[0] = FillOrigin;
            return OriginGrain.Line;
        }
        store.Bytes(entry).CopyTo(data);
        return store.ReadOrigins(entry, ids);
    }

    /// <summary>
    /// Writes the bytes of <paramref name="data"/> selected by <paramref name="mask"/> (bit i = byte i) into the line at
    /// <paramref name="lineOffset"/>, with origins given as ids in <paramref name="grain"/>. With <paramref name="queued"/>
    /// the write waits in the write-pending queue. Returns false (and writes nothing) when the device is locked.
    /// </summary>
    internal bool Write(ulong lineOffset, ReadOnlySpan<byte> data, ReadOnlySpan<uint> ids, OriginGrain grain, ulong mask, bool queued)
    {
        if (IsLocked)
        {
            return false;
        }
        if (mask == ulong.MaxValue && !queued)
        {
            // A whole line (every write-back from a cache): stored as given, no merge.
            Store(lineOffset, data, ids, grain);
            return true;
        }
        Span<uint> origins = stackalloc uint[LineStore.LineSize];
        grain.Expand(ids, 0, origins);
        if (queued)
        {
            if (!wpq.TryGetValue(lineOffset, out var pending))
            {
                pending = new WpqLine();
                ReadMedia(lineOffset, pending.Data, pending.Origins);
                wpq[lineOffset] = pending;
            }
            Merge(pending.Data, pending.Origins, data, origins, mask);
            return true;
        }
        Span<byte> lineData = stackalloc byte[LineStore.LineSize];
        Span<uint> lineOrigins = stackalloc uint[LineStore.LineSize];
        ReadMedia(lineOffset, lineData, lineOrigins);
        Merge(lineData, lineOrigins, data, origins, mask);
        Store(lineOffset, lineData, lineOrigins, OriginGrain.Byte);
        return true;
    }

    private static void Merge(Span<byte> dstData, Span<uint> dstOrigins, ReadOnlySpan<byte> data, ReadOnlySpan<uint> origins, ulong mask)
    {
        for (var i = 0; i < LineStore.LineSize; i++)
        {
            if ((mask & (1UL << i)) != 0)
            {
                dstData[i] = data[i];
                dstOrigins[i] = origins[i];
            }
        }
    }

    private void Store(ulong lineOffset, ReadOnlySpan<byte> data, ReadOnlySpan<uint> ids, OriginGrain grain)
    {
        var entry = store.FindOrAdd(lineOffset >> 6);
        data[..LineStore.LineSize].CopyTo(store.Bytes(entry));
        store.WriteOrigins(entry, Epoch, ids, grain);
    }

    /// <summary>Moves queued writes to the media (all of them, or the one line at <paramref name="lineOffset"/>).</summary>
    internal int DrainQueue(ulong? lineOffset = null)
    {
        if (wpq.Count == 0)
        {
            return 0;
        }
        if (lineOffset is { } one)
        {
            if (!wpq.Remove(one, out var p))
            {
                return 0;
            }
            Store(one, p.Data, p.Origins, OriginGrain.Byte);
            return 1;
        }
        var n = 0;
        foreach (var (off, p) in wpq)
        {
            Store(off, p.Data, p.Origins, OriginGrain.Byte);
            n++;
        }
        wpq.Clear();
        return n;
    }

    /// <summary>Line offsets waiting in the write-pending queue, in ascending order.</summary>
    public IReadOnlyList<ulong> QueuedLines()
    {
        var list = new List<ulong>(wpq.Keys);
        list.Sort();
        return list;
    }

    /// <summary>Offsets of the lines written in the current epoch, ascending (for canonical state hashing).</summary>
    public IReadOnlyList<ulong> StoredLineOffsets()
    {
        var list = new List<ulong>();
        store.ForEachLine((line, slot) =>
        {
            if (store.EpochOf(slot) == Epoch)
            {
                list.Add(line << 6);
            }
        });
        list.Sort();
        return list;
    }

    /// <summary>Drops the write-pending queue (power failure outside the persistence domain).</summary>
    internal int DropQueue()
    {
        var n = wpq.Count;
        wpq.Clear();
        return n;
    }

    private sealed class WpqLine
    {
        public byte[] Data { get; } = new byte[LineStore.LineSize];

        public uint[] Origins { get; } = new uint[LineStore.LineSize];
    }
}
