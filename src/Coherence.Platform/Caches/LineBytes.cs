using System.Runtime.CompilerServices;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Caches;

/// <summary>
/// Line records shared by the payloads of one machine's caches (see <see cref="LineBytes"/>): each cache slot that has
/// ever held a line owns one entry, and moving a line between caches exchanges the two slots' entries instead of
/// copying 96 bytes.
/// </summary>
/// <remarks>
/// Entries are handed out on first use, in chunks of 256 that never move (so a span or reference into a record stays
/// valid while other entries are added): a machine whose scenario touches a few lines costs a few chunks, not a record
/// for every slot of a 2 MiB LLC. That matters because an exhaustive exploration builds a machine for every execution.
/// </remarks>
internal sealed class LinePool
{
    private const int ChunkShift = 8;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private LineRecord[][] records = new LineRecord[4][];
    private OriginGrain[][] grains = new OriginGrain[4][];
    private uint[]?[] byteIds = new uint[4][];
    private int count;

    /// <summary>Number of entries handed out.</summary>
    public int Count => count;

    /// <summary>Hands out a new entry (its record uninitialised, its grain <see cref="OriginGrain.Line"/>'s default).</summary>
    public int Allocate()
    {
        var entry = count;
        var chunk = entry >> ChunkShift;
        if ((entry & ChunkMask) == 0)
        {
            if (chunk == records.Length)
            {
                Array.Resize(ref records, chunk * 2);
                Array.Resize(ref grains, chunk * 2);
                Array.Resize(ref byteIds, chunk * 2);
            }
            records[chunk] = GC.AllocateUninitializedArray<LineRecord>(ChunkSize);
            grains[chunk] = new OriginGrain[ChunkSize];
        }
        count++;
        return entry;
    }

    /// <summary>The bytes and 8 ids of <paramref name="entry"/>.</summary>
    public ref LineRecord Record(int entry) => ref records[entry >> ChunkShift][entry & ChunkMask];

    /// <summary>The grain of <paramref name="entry"/>'s origins.</summary>
    public ref OriginGrain Grain(int entry) => ref grains[entry >> ChunkShift][entry & ChunkMask];

    /// <summary>The 64 per-byte ids of <paramref name="entry"/>, allocating its chunk's side array on first use.</summary>
    public Span<uint> ByteIds(int entry)
    {
        ref var ids = ref byteIds[entry >> ChunkShift];
        ids ??= GC.AllocateUninitializedArray<uint>(ChunkSize * OriginGrains.LineSize);
        return ids.AsSpan((entry & ChunkMask) * OriginGrains.LineSize, OriginGrains.LineSize);
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
/// (rare: unaligned or sub-word stores) keep 64 ids, in a side array allocated on first use. A slot gets its record
/// the first time it is used, so untouched slots of a large cache cost 4 bytes each.
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
        this = Shared(new LinePool(), slots);
    }

    /// <summary>A payload of <paramref name="slots"/> slots drawing their entries from the shared
    /// <paramref name="pool"/> when first used.</summary>
    internal static LineBytes Shared(LinePool pool, int slots)
    {
        var payload = new LineBytes { pool = pool, entries = GC.AllocateUninitializedArray<int>(slots) };
        Array.Fill(payload.entries, -1);
        return payload;
    }

    /// <summary>The entry of <paramref name="slot"/>, handed out by the pool the first time the slot is used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int Entry(int slot)
    {
        var entry = entries[slot];
        return entry >= 0 ? entry : Assign(slot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly int Assign(int slot) => entries[slot] = pool.Allocate();

    private readonly ref LineRecord Record(int slot) => ref pool.Record(Entry(slot));

    /// <summary>The bytes of <paramref name="slot"/>.</summary>
    public readonly Span<byte> Data(int slot) => Record(slot).Data;

    /// <summary>The grain in which <paramref name="slot"/>'s origins are kept.</summary>
    public readonly OriginGrain GrainOf(int slot) => pool.Grain(Entry(slot));

    /// <summary>The origin ids of <paramref name="slot"/> in its grain (1, 8 or 64 entries; byte i has id
    /// <c>ids[i &gt;&gt; grain]</c>).</summary>
    public readonly ReadOnlySpan<uint> OriginIds(int slot)
    {
        var entry = Entry(slot);
        var grain = pool.Grain(entry);
        return grain == OriginGrain.Byte ? pool.ByteIds(entry) : ((ReadOnlySpan<uint>)pool.Record(entry).Words)[..grain.Count()];
    }

    /// <summary>The origin of byte <paramref name="byteIndex"/> of <paramref name="slot"/>.</summary>
    public readonly uint OriginAt(int slot, int byteIndex) => GrainOf(slot).At(OriginIds(slot), byteIndex);

    /// <summary>Writes the origin of each byte of [<paramref name="offset"/>, offset + destination.Length) of
    /// <paramref name="slot"/> into <paramref name="destination"/>.</summary>
    public readonly void ReadOrigins(int slot, int offset, Span<uint> destination)
    {
        var entry = Entry(slot);
        var grain = pool.Grain(entry);
        if (grain == OriginGrain.Byte)
        {
            pool.ByteIds(entry).Slice(offset, destination.Length).CopyTo(destination);
            return;
        }
        grain.Expand(pool.Record(entry).Words, offset, destination);
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
        var entry = Entry(slot);
        if (grain == OriginGrain.Byte)
        {
            ids[..LineSize].CopyTo(pool.ByteIds(entry));
        }
        else
        {
            ids[..grain.Count()].CopyTo(pool.Record(entry).Words);
        }
        pool.Grain(entry) = grain;
    }

    /// <summary>Copies the whole line of <paramref name="slot"/> (bytes and origins) into <paramref name="targetSlot"/>
    /// of <paramref name="target"/>: one record copy, plus 64 ids for a per-byte line.</summary>
    public readonly void CopyTo(int slot, ref LineBytes target, int targetSlot)
    {
        var from = Entry(slot);
        var to = target.Entry(targetSlot);
        var grain = pool.Grain(from);
        target.pool.Record(to) = pool.Record(from);
        target.pool.Grain(to) = grain;
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
        var entry = Entry(slot);
        ref var grain = ref pool.Grain(entry);
        Span<uint> words = pool.Record(entry).Words;
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
