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
    private const int EntryBytes = 24; // sizeof(Entry)
    private const int RecordBytes = 96; // sizeof(LineRecord)

    private Entry[] entries = CreateEntries(1024);
    private int used;

    private readonly List<LineRecord[]> records = [];
    private int slotCount;

    private readonly List<uint[]> bytePool = []; // 64 origins per entry
    private int byteCount;
    private readonly Stack<int> freeBytes = new();

    /// <summary>One line: 24 bytes.</summary>
    private struct Entry
    {
        /// <summary>The line index, or <see cref="Empty"/>.</summary>
        public ulong Key;

        /// <summary>Where the line's record is in the pool.</summary>
        public int Slot;

        /// <summary>The erase epoch the line was last written in.</summary>
        public uint Epoch;

        /// <summary>The grain of the line's origins.</summary>
        public OriginGrain Grain;

        /// <summary>For <see cref="OriginGrain.Byte"/>: the line's entry in the per-byte pool.</summary>
        public int ByteEntry;
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
        e[i] = new Entry { Key = line, Slot = AllocateSlot(), Grain = OriginGrain.Line };
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
        ref var m = ref entries[entry];
        var grain = m.Grain;
        if (grain == OriginGrain.Byte)
        {
            BytePoolEntry(m.ByteEntry).CopyTo(ids);
        }
        else
        {
            ((ReadOnlySpan<uint>)Record(entry).Words)[..grain.Count()].CopyTo(ids);
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
        if (form == OriginGrain.Byte)
        {
            if (m.Grain != OriginGrain.Byte)
            {
                m.ByteEntry = freeBytes.Count > 0 ? freeBytes.Pop() : NewByteEntry();
            }
            ids[..LineSize].CopyTo(BytePoolEntry(m.ByteEntry));
        }
        else
        {
            if (m.Grain == OriginGrain.Byte)
            {
                freeBytes.Push(m.ByteEntry);
            }
            Span<uint> words = Record(entry).Words;
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
