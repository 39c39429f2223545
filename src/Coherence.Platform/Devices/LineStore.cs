using System.Runtime.CompilerServices;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Devices;

/// <summary>
/// Sparse storage of a device's touched 64-byte lines: an open-addressing hash from line index to an entry that holds
/// the line's erase epoch, its origins in the cheapest of three forms (one origin for the whole line, one per 8-byte
/// word, or one per byte) and the index of its 64 bytes in a chunked pool. A device of any capacity costs only what
/// is touched; erasing is done by the owner bumping its epoch (lines of older epochs read as untouched and their
/// storage is reused when the line is written again).
/// </summary>
/// <remarks>
/// Lines are addressed by their entry index (<see cref="Find"/>, <see cref="FindOrAdd"/>), valid until the next
/// <see cref="FindOrAdd"/>. The epoch and a single origin sit in the entry itself, so reading a line touches the
/// entry, its bytes and, for finer origins, one more pool entry: three host cache lines at most.
/// </remarks>
internal sealed class LineStore
{
    public const int LineSize = 64;
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;
    private const ulong Empty = ulong.MaxValue;

    private Entry[] entries = CreateEntries(1024);
    private int used;

    private readonly List<byte[]> data = [];
    private int slotCount;

    private readonly List<uint[]> wordPool = []; // 8 origins per entry
    private int wordCount;
    private readonly Stack<int> freeWords = new();
    private readonly List<uint[]> bytePool = []; // 64 origins per entry
    private int byteCount;
    private readonly Stack<int> freeBytes = new();

    /// <summary>One line: 24 bytes.</summary>
    private struct Entry
    {
        /// <summary>The line index, or <see cref="Empty"/>.</summary>
        public ulong Key;

        /// <summary>Where the line's bytes are in the byte pool.</summary>
        public int Slot;

        /// <summary>The erase epoch the line was last written in.</summary>
        public uint Epoch;

        /// <summary>The origin of every byte when <see cref="Ext"/> is 0.</summary>
        public uint Origin;

        /// <summary>0: one origin (<see cref="Origin"/>); n &gt; 0: word-pool entry n - 1; n &lt; 0: byte-pool entry -n - 1.</summary>
        public int Ext;
    }

    /// <summary>Number of lines ever stored (byte slots allocated).</summary>
    public int SlotCount => slotCount;

    /// <summary>Approximate bytes of managed memory held, for the memory benchmark.</summary>
    public long ApproximateBytes =>
        entries.LongLength * 24
        + (long)data.Count * ChunkSize * LineSize
        + (long)wordPool.Count * ChunkSize * 32 + (long)bytePool.Count * ChunkSize * 256;

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

    /// <summary>Returns the entry of <paramref name="line"/>, adding one (with its byte slot) if absent. Entry indices
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
        e[i].Key = line;
        e[i].Slot = AllocateSlot();
        e[i].Epoch = 0;
        e[i].Origin = 0;
        e[i].Ext = 0;
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
        if ((slot >> ChunkShift) >= data.Count)
        {
            data.Add(GC.AllocateUninitializedArray<byte>(ChunkSize * LineSize));
        }
        return slot;
    }

    /// <summary>The bytes of the line in <paramref name="entry"/>.</summary>
    public Span<byte> Bytes(int entry)
    {
        var slot = entries[entry].Slot;
        return data[slot >> ChunkShift].AsSpan((slot & (ChunkSize - 1)) * LineSize, LineSize);
    }

    /// <summary>The epoch the line in <paramref name="entry"/> was last written in.</summary>
    public uint EpochOf(int entry) => entries[entry].Epoch;

    /// <summary>Writes the origin ids of the line in <paramref name="entry"/> into <paramref name="ids"/> (room for 64)
    /// in the grain they are stored in, and returns that grain.</summary>
    public OriginGrain ReadOrigins(int entry, Span<uint> ids)
    {
        ref var m = ref entries[entry];
        var ext = m.Ext;
        if (ext == 0)
        {
            ids[0] = m.Origin;
            return OriginGrain.Line;
        }
        if (ext > 0)
        {
            WordEntry(ext - 1).CopyTo(ids);
            return OriginGrain.Word;
        }
        ByteEntry(-ext - 1).CopyTo(ids);
        return OriginGrain.Byte;
    }

    /// <summary>Stores the origins of the line in <paramref name="entry"/>, given as ids in <paramref name="grain"/>, in
    /// the coarsest exact form, and sets its epoch.</summary>
    public void WriteOrigins(int entry, uint epoch, ReadOnlySpan<uint> ids, OriginGrain grain)
    {
        ref var m = ref entries[entry];
        m.Epoch = epoch;
        var ext = m.Ext;
        var form = grain switch
        {
            OriginGrain.Line => OriginGrain.Line,
            OriginGrain.Word => OriginGrains.CoarsestOfWords(ids),
            _ => OriginGrains.Coarsest(ids),
        };
        if (form == OriginGrain.Line)
        {
            Release(ext);
            m.Origin = ids[0];
            m.Ext = 0;
        }
        else if (form == OriginGrain.Word)
        {
            int index;
            if (ext > 0)
            {
                index = ext - 1;
            }
            else
            {
                Release(ext);
                index = freeWords.Count > 0 ? freeWords.Pop() : NewWordEntry();
            }
            var words = WordEntry(index);
            for (var w = 0; w < 8; w++)
            {
                words[w] = ids[w << (3 - (int)grain)];
            }
            m.Ext = index + 1;
        }
        else
        {
            int index;
            if (ext < 0)
            {
                index = -ext - 1;
            }
            else
            {
                Release(ext);
                index = freeBytes.Count > 0 ? freeBytes.Pop() : NewByteEntry();
            }
            ids[..LineSize].CopyTo(ByteEntry(index));
            m.Ext = -(index + 1);
        }
    }

    private void Release(int ext)
    {
        if (ext > 0)
        {
            freeWords.Push(ext - 1);
        }
        else if (ext < 0)
        {
            freeBytes.Push(-ext - 1);
        }
    }

    private Span<uint> WordEntry(int index) => wordPool[index >> ChunkShift].AsSpan((index & (ChunkSize - 1)) * 8, 8);

    private Span<uint> ByteEntry(int index) => bytePool[index >> ChunkShift].AsSpan((index & (ChunkSize - 1)) * LineSize, LineSize);

    private int NewWordEntry()
    {
        var index = wordCount++;
        if ((index >> ChunkShift) >= wordPool.Count)
        {
            wordPool.Add(GC.AllocateUninitializedArray<uint>(ChunkSize * 8));
        }
        return index;
    }

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
