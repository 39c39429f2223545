using System.Runtime.CompilerServices;

namespace Coherence.Platform.Devices;

/// <summary>
/// Sparse storage of a device's touched 64-byte lines: an open-addressing hash from line index to a slot in chunked
/// pools. Each slot holds the 64 bytes, the erase epoch it was written in, and the bytes' origins in the cheapest of
/// three forms: one origin for the whole line, one per 8-byte word, or one per byte. A device of any capacity costs
/// only what is touched; erasing is done by the owner bumping its epoch (slots of older epochs read as untouched and
/// are reused when the line is written again).
/// </summary>
internal sealed class LineStore
{
    public const int LineSize = 64;
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;
    private const ulong Empty = ulong.MaxValue;

    private ulong[] keys = CreateKeys(1024);
    private int[] values = new int[1024];
    private int used;

    private readonly List<byte[]> data = [];
    private readonly List<uint[]> meta = []; // per slot: [epoch, uniform origin, ext]
    private int slotCount;

    private readonly List<uint[]> wordPool = []; // 8 origins per entry
    private int wordCount;
    private readonly Stack<int> freeWords = new();
    private readonly List<uint[]> bytePool = []; // 64 origins per entry
    private int byteCount;
    private readonly Stack<int> freeBytes = new();

    /// <summary>Number of lines ever stored (slots allocated).</summary>
    public int SlotCount => slotCount;

    /// <summary>Approximate bytes of managed memory held, for the memory benchmark.</summary>
    public long ApproximateBytes =>
        keys.LongLength * 8 + values.LongLength * 4
        + (long)data.Count * ChunkSize * LineSize + (long)meta.Count * ChunkSize * 12
        + (long)wordPool.Count * ChunkSize * 32 + (long)bytePool.Count * ChunkSize * 256;

    private static ulong[] CreateKeys(int n)
    {
        var k = new ulong[n];
        Array.Fill(k, Empty);
        return k;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & mask;

    /// <summary>Returns the slot of <paramref name="line"/>, or -1.</summary>
    public int Find(ulong line)
    {
        var mask = keys.Length - 1;
        var i = Hash(line, mask);
        while (true)
        {
            var k = keys[i];
            if (k == line)
            {
                return values[i];
            }
            if (k == Empty)
            {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /// <summary>Calls <paramref name="visit"/> with every stored line index and its slot (in table order).</summary>
    public void ForEachLine(Action<ulong, int> visit)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != Empty)
            {
                visit(keys[i], values[i]);
            }
        }
    }

    /// <summary>Returns the slot of <paramref name="line"/>, allocating one (with <paramref name="created"/> true) if absent.</summary>
    public int FindOrAdd(ulong line, out bool created)
    {
        var mask = keys.Length - 1;
        var i = Hash(line, mask);
        while (true)
        {
            var k = keys[i];
            if (k == line)
            {
                created = false;
                return values[i];
            }
            if (k == Empty)
            {
                break;
            }
            i = (i + 1) & mask;
        }
        created = true;
        var slot = AllocateSlot();
        keys[i] = line;
        values[i] = slot;
        if (++used * 4 > keys.Length * 3)
        {
            Grow();
        }
        return slot;
    }

    private void Grow()
    {
        var oldKeys = keys;
        var oldValues = values;
        keys = CreateKeys(oldKeys.Length * 2);
        values = new int[oldKeys.Length * 2];
        var mask = keys.Length - 1;
        for (var j = 0; j < oldKeys.Length; j++)
        {
            if (oldKeys[j] == Empty)
            {
                continue;
            }
            var i = Hash(oldKeys[j], mask);
            while (keys[i] != Empty)
            {
                i = (i + 1) & mask;
            }
            keys[i] = oldKeys[j];
            values[i] = oldValues[j];
        }
    }

    private int AllocateSlot()
    {
        var slot = slotCount++;
        if ((slot >> ChunkShift) >= data.Count)
        {
            data.Add(GC.AllocateUninitializedArray<byte>(ChunkSize * LineSize));
            meta.Add(new uint[ChunkSize * 3]);
        }
        return slot;
    }

    /// <summary>The bytes of <paramref name="slot"/>.</summary>
    public Span<byte> Bytes(int slot) => data[slot >> ChunkShift].AsSpan((slot & (ChunkSize - 1)) * LineSize, LineSize);

    private Span<uint> Meta(int slot) => meta[slot >> ChunkShift].AsSpan((slot & (ChunkSize - 1)) * 3, 3);

    /// <summary>The epoch <paramref name="slot"/> was last written in.</summary>
    public uint EpochOf(int slot) => Meta(slot)[0];

    /// <summary>Expands the origins of <paramref name="slot"/> into <paramref name="origins"/> (64 entries).</summary>
    public void ReadOrigins(int slot, Span<uint> origins)
    {
        var m = Meta(slot);
        var ext = (int)m[2];
        if (ext == 0)
        {
            origins[..LineSize].Fill(m[1]);
        }
        else if (ext > 0)
        {
            var words = WordEntry(ext - 1);
            for (var w = 0; w < 8; w++)
            {
                origins.Slice(w * 8, 8).Fill(words[w]);
            }
        }
        else
        {
            ByteEntry(-ext - 1).CopyTo(origins);
        }
    }

    /// <summary>Stores the origins of <paramref name="slot"/> in compressed form and sets its epoch.</summary>
    public void WriteOrigins(int slot, uint epoch, ReadOnlySpan<uint> origins)
    {
        var m = Meta(slot);
        m[0] = epoch;
        var ext = (int)m[2];
        var first = origins[0];
        var uniform = true;
        var wordUniform = true;
        for (var i = 1; i < LineSize; i++)
        {
            if (origins[i] != first)
            {
                uniform = false;
                if (origins[i] != origins[i & ~7])
                {
                    wordUniform = false;
                    break;
                }
            }
        }
        if (uniform)
        {
            Release(ext);
            m[1] = first;
            m[2] = 0;
        }
        else if (wordUniform)
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
                words[w] = origins[w * 8];
            }
            m[2] = (uint)(index + 1);
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
            origins[..LineSize].CopyTo(ByteEntry(index));
            m[2] = unchecked((uint)(-(index + 1)));
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
