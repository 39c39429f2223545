using System.Runtime.CompilerServices;
using Coherence.Platform.Caches;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Devices;

/// <summary>
/// Sparse storage of a device's touched 64-byte lines: an open-addressing hash from line index to an entry that holds
/// the line's erase epoch, the grain of its origins and the index of its record (the 64 bytes and room for 8 origin
/// ids, see <see cref="LineRecord"/>) in a chunked pool. Origins are kept in the coarsest exact grain: one id for the
/// whole line or one per 8-byte word, in the record; one per byte in a side pool. A device of any capacity costs only
/// what is touched; erasing is done by the owner bumping its epoch (lines of older epochs read as untouched and their
/// storage is reused when the line is written again).
/// </summary>
/// <remarks>
/// Lines are addressed by their entry index (<see cref="Find"/>, <see cref="FindOrAdd"/>), valid until the next
/// <see cref="FindOrAdd"/>. Reading a line touches its entry and its record (two adjacent host cache lines), plus
/// one side-pool entry for per-byte origins.
/// </remarks>
internal sealed class LineStore
{
    public const int LineSize = 64;
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;
    private const ulong Empty = ulong.MaxValue;
    private const uint SlotMask = (1u << 30) - 1;
    private const int EntryBytes = 16; // sizeof(Entry)
    private const int RecordBytes = 96; // sizeof(LineRecord)

    private Entry[] entries = CreateEntries(1024);
    private int used;

    private readonly List<LineRecord[]> records = [];
    private int slotCount;

    private readonly List<uint[]> bytePool = []; // 64 origins per entry
    private int byteCount;
    private readonly Stack<int> freeBytes = new();

    /// <summary>One line: 16 bytes, so that four share a host cache line. For a line with per-byte origins the record's
    /// first word id holds the index of its per-byte pool entry.</summary>
    private struct Entry
    {
        /// <summary>The line index, or <see cref="Empty"/>.</summary>
        public ulong Key;

        /// <summary>The record's index in the pool (low 30 bits) and the grain of the line's origins (top 2 bits:
        /// <see cref="OriginGrain"/> / 3).</summary>
        public uint SlotAndGrain;

        /// <summary>The erase epoch the line was last written in.</summary>
        public uint Epoch;

        public readonly int Slot => (int)(SlotAndGrain & SlotMask);

        public OriginGrain Grain
        {
            readonly get => (OriginGrain)((SlotAndGrain >> 30) * 3);
            set => SlotAndGrain = (SlotAndGrain & SlotMask) | ((uint)value / 3 << 30);
        }
    }

    /// <summary>Number of lines ever stored (records allocated).</summary>
    public int SlotCount => slotCount;

    /// <summary>Approximate bytes of managed memory held, for the memory benchmark.</summary>
    public long ApproximateBytes =>
        entries.LongLength * EntryBytes
        + (long)records.Count * ChunkSize * RecordBytes
        + (long)bytePool.Count * ChunkSize * LineSize * sizeof(uint);

    private static Entry[] CreateEntries(int n)
    {
        var e = new Entry[n];
        for (var i = 0; i < e.Length; i++)
        {
            e[i].Key = Empty;
        }
        return e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    /// <summary>Returns the entry of <paramref name="line"/>, or -1.</summary>
    public int Find(ulong line)
    {
        var e = entries;
        var mask = e.Length - 1;
        var i = Hash(line, mask);
        while (true)
        {
            var k = e[i].Key;
            if (k == line)
            {
                return i;
            }
            if (k == Empty)
            {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /// <summary>Calls <paramref name="visit"/> with every stored line index and its entry (in table order).</summary>
    public void ForEachLine(Action<ulong, int> visit)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Key != Empty)
            {
                visit(entries[i].Key, i);
            }
        }
    }

    /// <summary>Returns the entry of <paramref name="line"/>, adding one (with its record) if absent. Entry indices
    /// returned earlier are invalid afterwards (the table may have grown).</summary>
    public int FindOrAdd(ulong line)
    {
        if ((used + 1) * 4 > entries.Length * 3)
        {
            Grow();
        }
        var e = entries;
        var mask = e.Length - 1;
        var i = Hash(line, mask);
        while (true)
        {
            var k = e[i].Key;
            if (k == line)
            {
                return i;
            }
            if (k == Empty)
            {
                break;
            }
            i = (i + 1) & mask;
        }
        used++;
        e[i] = new Entry { Key = line, SlotAndGrain = (uint)AllocateSlot() | ((uint)OriginGrain.Line / 3 << 30) };
        return i;
    }

    private void Grow()
    {
        var old = entries;
        entries = CreateEntries(old.Length * 2);
        var mask = entries.Length - 1;
        for (var j = 0; j < old.Length; j++)
        {
            if (old[j].Key == Empty)
            {
                continue;
            }
            var i = Hash(old[j].Key, mask);
            while (entries[i].Key != Empty)
            {
                i = (i + 1) & mask;
            }
            entries[i] = old[j];
        }
    }

    private int AllocateSlot()
    {
        if (slotCount > (int)SlotMask)
        {
            throw new InvalidOperationException($"a device stores at most {SlotMask + 1} touched lines");
        }
        var slot = slotCount++;
        if ((slot >> ChunkShift) >= records.Count)
        {
            records.Add(GC.AllocateUninitializedArray<LineRecord>(ChunkSize));
        }
        return slot;
    }

    private ref LineRecord Record(int entry)
    {
        var slot = entries[entry].Slot;
        return ref records[slot >> ChunkShift][slot & (ChunkSize - 1)];
    }

    /// <summary>The bytes of the line in <paramref name="entry"/>.</summary>
    public Span<byte> Bytes(int entry) => Record(entry).Data;

    /// <summary>The epoch the line in <paramref name="entry"/> was last written in.</summary>
    public uint EpochOf(int entry) => entries[entry].Epoch;

    /// <summary>Writes the origin ids of the line in <paramref name="entry"/> into <paramref name="ids"/> (room for 64)
    /// in the grain they are stored in, and returns that grain.</summary>
    public OriginGrain ReadOrigins(int entry, Span<uint> ids)
    {
        var grain = entries[entry].Grain;
        ReadOnlySpan<uint> words = Record(entry).Words;
        if (grain == OriginGrain.Byte)
        {
            BytePoolEntry((int)words[0]).CopyTo(ids);
        }
        else
        {
            words[..grain.Count()].CopyTo(ids);
        }
        return grain;
    }

    /// <summary>Stores the origins of the line in <paramref name="entry"/>, given as ids in <paramref name="grain"/>, in
    /// the coarsest exact form, and sets its epoch.</summary>
    public void WriteOrigins(int entry, uint epoch, ReadOnlySpan<uint> ids, OriginGrain grain)
    {
        ref var m = ref entries[entry];
        m.Epoch = epoch;
        var form = grain switch
        {
            OriginGrain.Line => OriginGrain.Line,
            OriginGrain.Word => OriginGrains.CoarsestOfWords(ids),
            _ => OriginGrains.Coarsest(ids),
        };
        Span<uint> words = Record(entry).Words;
        if (form == OriginGrain.Byte)
        {
            if (m.Grain != OriginGrain.Byte)
            {
                words[0] = (uint)(freeBytes.Count > 0 ? freeBytes.Pop() : NewByteEntry());
            }
            ids[..LineSize].CopyTo(BytePoolEntry((int)words[0]));
        }
        else
        {
            if (m.Grain == OriginGrain.Byte)
            {
                freeBytes.Push((int)words[0]);
            }
            if (form == OriginGrain.Line)
            {
                words[0] = ids[0];
            }
            else
            {
                // From word ids (grain 3) take every id; from byte ids (grain 0) every eighth.
                for (var w = 0; w < 8; w++)
                {
                    words[w] = ids[w << (3 - (int)grain)];
                }
            }
        }
        m.Grain = form;
    }

    private Span<uint> BytePoolEntry(int index) => bytePool[index >> ChunkShift].AsSpan((index & (ChunkSize - 1)) * LineSize, LineSize);

    private int NewByteEntry()
    {
        var index = byteCount++;
        if ((index >> ChunkShift) >= bytePool.Count)
        {
            bytePool.Add(GC.AllocateUninitializedArray<uint>(ChunkSize * LineSize));
        }
        return index;
    }
}
