using Coherence.Platform.Provenance;

namespace Coherence.Platform.Caches;

/// <summary>
/// Line records shared by the payloads of one machine's caches (see <see cref="LineBytes"/>): each cache slot owns one
/// entry, and moving a line between caches exchanges the two slots' entries instead of copying 96 bytes.
/// </summary>
internal sealed class LinePool
{
    /// <summary>Creates a pool of <paramref name="entries"/> records, allocated uninitialised so that entries never
    /// used cost no resident memory.</summary>
    public LinePool(int entries)
    {
        Records = GC.AllocateUninitializedArray<LineRecord>(entries);
        Grains = new OriginGrain[entries];
    }

    /// <summary>The bytes and 8 ids of each entry.</summary>
    public LineRecord[] Records { get; }

    /// <summary>The grain of each entry's origins.</summary>
    public OriginGrain[] Grains { get; }

    /// <summary>Number of entries.</summary>
    public int Count => Records.Length;

    private uint[]? byteIds;

    /// <summary>The 64 per-byte ids of <paramref name="entry"/>, allocating the side array on first use.</summary>
    public Span<uint> ByteIds(int entry)
    {
        byteIds ??= GC.AllocateUninitializedArray<uint>(Records.Length * OriginGrains.LineSize);
        return byteIds.AsSpan(entry * OriginGrains.LineSize, OriginGrains.LineSize);
    }
}

/// <summary>
/// The model's payload: the 64 bytes of each slot and the origin of each byte (see <see cref="OriginTable"/>), kept in
/// the slot's <see cref="OriginGrain"/>: one id for the line, one per 8-byte word, or one per byte.
/// </summary>
/// <remarks>
/// Layout, chosen for host-memory traffic: each line is one 96-byte record (the 64 bytes, then room for 8 ids, which
/// hold the line's id or its word ids) in a <see cref="LinePool"/>, with its grain in a dense byte array; each slot
/// holds the index of its record. The caches of one machine share one pool, so that moving a line between them
/// (<see cref="MoveTo"/>, what every eviction and every hit in a lower level does in the exclusive hierarchy)
/// exchanges two indices and touches no record at all. Only lines whose bytes have different origins within a word
/// (rare: unaligned or sub-word stores) keep 64 ids, in a side array allocated on first use. Records are allocated
/// uninitialised so that untouched slots of a large cache cost no resident memory.
/// </remarks>
public struct LineBytes : ILinePayload
{
    private const int LineSize = OriginGrains.LineSize;
    private LinePool pool;
    private int[] entries;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The line size is not 64 bytes (the origin grains assume 64-byte lines).</exception>
    public void Initialise(int slots, int lineSize)
    {
        if (lineSize != LineSize)
        {
            throw new ArgumentException($"the model's caches keep 64-byte lines, not {lineSize}", nameof(lineSize));
        }
        pool = new LinePool(slots);
        entries = new int[slots];
        for (var i = 0; i < slots; i++)
        {
            entries[i] = i;
        }
    }

    /// <summary>A payload of <paramref name="slots"/> slots owning entries <paramref name="first"/> onwards of the
    /// shared <paramref name="pool"/>.</summary>
    internal static LineBytes Shared(LinePool pool, int first, int slots)
    {
        var payload = new LineBytes { pool = pool, entries = new int[slots] };
        for (var i = 0; i < slots; i++)
        {
            payload.entries[i] = first + i;
        }
        return payload;
    }

    private readonly ref LineRecord Record(int slot) => ref pool.Records[entries[slot]];

    /// <summary>The bytes of <paramref name="slot"/>.</summary>
    public readonly Span<byte> Data(int slot) => Record(slot).Data;

    /// <summary>The grain in which <paramref name="slot"/>'s origins are kept.</summary>
    public readonly OriginGrain GrainOf(int slot) => pool.Grains[entries[slot]];

    /// <summary>The origin ids of <paramref name="slot"/> in its grain (1, 8 or 64 entries; byte i has id
    /// <c>ids[i &gt;&gt; grain]</c>).</summary>
    public readonly ReadOnlySpan<uint> OriginIds(int slot)
    {
        var entry = entries[slot];
        var grain = pool.Grains[entry];
        return grain == OriginGrain.Byte ? pool.ByteIds(entry) : ((ReadOnlySpan<uint>)pool.Records[entry].Words)[..grain.Count()];
    }

    /// <summary>The origin of byte <paramref name="byteIndex"/> of <paramref name="slot"/>.</summary>
    public readonly uint OriginAt(int slot, int byteIndex) => GrainOf(slot).At(OriginIds(slot), byteIndex);

    /// <summary>Writes the origin of each byte of [<paramref name="offset"/>, offset + destination.Length) of
    /// <paramref name="slot"/> into <paramref name="destination"/>.</summary>
    public readonly void ReadOrigins(int slot, int offset, Span<uint> destination)
    {
        var entry = entries[slot];
        var grain = pool.Grains[entry];
        if (grain == OriginGrain.Byte)
        {
            pool.ByteIds(entry).Slice(offset, destination.Length).CopyTo(destination);
            return;
        }
        grain.Expand(pool.Records[entry].Words, offset, destination);
    }

    /// <summary>Replaces the whole line of <paramref name="slot"/>: bytes and origin ids in <paramref name="grain"/>.</summary>
    public readonly void Fill(int slot, ReadOnlySpan<byte> bytes, ReadOnlySpan<uint> ids, OriginGrain grain)
    {
        bytes[..LineSize].CopyTo(Record(slot).Data);
        SetOrigins(slot, ids, grain);
    }

    /// <summary>Replaces the origins of <paramref name="slot"/> with <paramref name="ids"/> in <paramref name="grain"/>
    /// (the bytes are written through <see cref="Data"/>).</summary>
    public readonly void SetOrigins(int slot, ReadOnlySpan<uint> ids, OriginGrain grain)
    {
        var entry = entries[slot];
        if (grain == OriginGrain.Byte)
        {
            ids[..LineSize].CopyTo(pool.ByteIds(entry));
        }
        else
        {
            ids[..grain.Count()].CopyTo(pool.Records[entry].Words);
        }
        pool.Grains[entry] = grain;
    }

    /// <summary>Copies the whole line of <paramref name="slot"/> (bytes and origins) into <paramref name="targetSlot"/>
    /// of <paramref name="target"/>: one record copy, plus 64 ids for a per-byte line.</summary>
    public readonly void CopyTo(int slot, ref LineBytes target, int targetSlot)
    {
        var from = entries[slot];
        var to = target.entries[targetSlot];
        var grain = pool.Grains[from];
        target.pool.Records[to] = pool.Records[from];
        target.pool.Grains[to] = grain;
        if (grain == OriginGrain.Byte)
        {
            pool.ByteIds(from).CopyTo(target.pool.ByteIds(to));
        }
    }

    /// <summary>Moves the whole line of <paramref name="slot"/> into <paramref name="targetSlot"/> of
    /// <paramref name="target"/>; <paramref name="slot"/> is left with unspecified contents (its owner empties it).
    /// Within one pool the two slots exchange records, so nothing is copied.</summary>
    public readonly void MoveTo(int slot, ref LineBytes target, int targetSlot)
    {
        if (!ReferenceEquals(pool, target.pool))
        {
            CopyTo(slot, ref target, targetSlot);
            return;
        }
        (entries[slot], target.entries[targetSlot]) = (target.entries[targetSlot], entries[slot]);
    }

    /// <summary>
    /// Gives bytes [<paramref name="offset"/>, offset + <paramref name="length"/>) of <paramref name="slot"/> the origin
    /// <paramref name="origin"/> (a store). The slot keeps the coarsest grain that stays exact without rescanning:
    /// a whole-line store makes it one id, an 8-byte-aligned store keeps or makes it per word, anything else makes it
    /// per byte. (Word ids that happen to agree are not folded back into one: a slot's record has room for 8 ids
    /// either way, and a device folds them when the line is written back.)
    /// </summary>
    public readonly void SetOrigin(int slot, int offset, int length, uint origin)
    {
        var entry = entries[slot];
        ref var grain = ref pool.Grains[entry];
        Span<uint> words = pool.Records[entry].Words;
        if (length == LineSize)
        {
            words[0] = origin;
            grain = OriginGrain.Line;
            return;
        }
        var aligned = ((offset | length) & 7) == 0;
        if (grain == OriginGrain.Line)
        {
            var old = words[0];
            if (old == origin)
            {
                return;
            }
            if (aligned)
            {
                words.Fill(old);
                grain = OriginGrain.Word;
            }
            else
            {
                pool.ByteIds(entry).Fill(old);
                grain = OriginGrain.Byte;
            }
        }
        else if (grain == OriginGrain.Word && !aligned)
        {
            var bytes = pool.ByteIds(entry);
            for (var w = 0; w < 8; w++)
            {
                bytes.Slice(w * 8, 8).Fill(words[w]);
            }
            grain = OriginGrain.Byte;
        }
        if (grain == OriginGrain.Word)
        {
            words.Slice(offset >> 3, length >> 3).Fill(origin);
        }
        else
        {
            pool.ByteIds(entry).Slice(offset, length).Fill(origin);
        }
    }
}
