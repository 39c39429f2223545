using Coherence.Platform.Provenance;

namespace Coherence.Platform.Caches;

/// <summary>
/// The model's payload: the 64 bytes of each slot and the origin of each byte (see <see cref="OriginTable"/>), kept in
/// the slot's <see cref="OriginGrain"/>: one id for the line, one per 8-byte word, or one per byte.
/// </summary>
/// <remarks>
/// Layout, chosen for host-memory traffic: each slot is one 96-byte record (the 64 bytes, then room for 8 ids, which
/// hold the line's id or its word ids), so moving a line between caches copies one record and touches two host cache
/// lines; the grain of each slot is in a dense byte array. Only lines whose bytes have different origins within a
/// word (rare: unaligned or sub-word stores) keep 64 ids, in a side array allocated on first use. Storage is
/// allocated uninitialised so that untouched slots of a large cache cost no resident memory.
/// </remarks>
public struct LineBytes : ILinePayload
{
    private const int LineSize = OriginGrains.LineSize;
    private LineRecord[] records;
    private OriginGrain[] grains;
    private uint[]? byteIds;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The line size is not 64 bytes (the origin grains assume 64-byte lines).</exception>
    public void Initialise(int slots, int lineSize)
    {
        if (lineSize != LineSize)
        {
            throw new ArgumentException($"the model's caches keep 64-byte lines, not {lineSize}", nameof(lineSize));
        }
        records = GC.AllocateUninitializedArray<LineRecord>(slots);
        grains = new OriginGrain[slots];
        byteIds = null;
    }

    /// <summary>The bytes of <paramref name="slot"/>.</summary>
    public readonly Span<byte> Data(int slot) => records[slot].Data;

    /// <summary>The grain in which <paramref name="slot"/>'s origins are kept.</summary>
    public readonly OriginGrain GrainOf(int slot) => grains[slot];

    /// <summary>The origin ids of <paramref name="slot"/> in its grain (1, 8 or 64 entries; byte i has id
    /// <c>ids[i &gt;&gt; grain]</c>).</summary>
    public readonly ReadOnlySpan<uint> OriginIds(int slot)
    {
        var grain = grains[slot];
        return grain == OriginGrain.Byte ? byteIds.AsSpan(slot * LineSize, LineSize) : ((ReadOnlySpan<uint>)records[slot].Words)[..grain.Count()];
    }

    /// <summary>The origin of byte <paramref name="byteIndex"/> of <paramref name="slot"/>.</summary>
    public readonly uint OriginAt(int slot, int byteIndex) => grains[slot].At(OriginIds(slot), byteIndex);

    /// <summary>Writes the origin of each byte of [<paramref name="offset"/>, offset + destination.Length) of
    /// <paramref name="slot"/> into <paramref name="destination"/>.</summary>
    public readonly void ReadOrigins(int slot, int offset, Span<uint> destination)
    {
        var grain = grains[slot];
        if (grain == OriginGrain.Byte)
        {
            byteIds.AsSpan(slot * LineSize + offset, destination.Length).CopyTo(destination);
            return;
        }
        grain.Expand(records[slot].Words, offset, destination);
    }

    /// <summary>Replaces the whole line of <paramref name="slot"/>: bytes and origin ids in <paramref name="grain"/>.</summary>
    public void Fill(int slot, ReadOnlySpan<byte> bytes, ReadOnlySpan<uint> ids, OriginGrain grain)
    {
        ref var r = ref records[slot];
        bytes[..LineSize].CopyTo(r.Data);
        SetOrigins(slot, ids, grain);
    }

    /// <summary>Replaces the origins of <paramref name="slot"/> with <paramref name="ids"/> in <paramref name="grain"/>
    /// (the bytes are written through <see cref="Data"/>).</summary>
    public void SetOrigins(int slot, ReadOnlySpan<uint> ids, OriginGrain grain)
    {
        if (grain == OriginGrain.Byte)
        {
            ids[..LineSize].CopyTo(ByteIds(slot));
        }
        else
        {
            ids[..grain.Count()].CopyTo(records[slot].Words);
        }
        grains[slot] = grain;
    }

    /// <summary>Copies the whole line of <paramref name="slot"/> (bytes and origins) into <paramref name="targetSlot"/>
    /// of <paramref name="target"/>: one record copy, plus 64 ids for a per-byte line.</summary>
    public readonly void CopyTo(int slot, ref LineBytes target, int targetSlot)
    {
        var grain = grains[slot];
        target.records[targetSlot] = records[slot];
        target.grains[targetSlot] = grain;
        if (grain == OriginGrain.Byte)
        {
            byteIds.AsSpan(slot * LineSize, LineSize).CopyTo(target.ByteIds(targetSlot));
        }
    }

    /// <summary>
    /// Gives bytes [<paramref name="offset"/>, offset + <paramref name="length"/>) of <paramref name="slot"/> the origin
    /// <paramref name="origin"/> (a store). The slot keeps the coarsest grain that stays exact without rescanning:
    /// a whole-line store makes it one id, an 8-byte-aligned store keeps or makes it per word, anything else makes it
    /// per byte. (Word ids that happen to agree are not folded back into one: a slot's record has room for 8 ids
    /// either way, and a device folds them when the line is written back.)
    /// </summary>
    public void SetOrigin(int slot, int offset, int length, uint origin)
    {
        ref var grain = ref grains[slot];
        Span<uint> words = records[slot].Words;
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
                ByteIds(slot).Fill(old);
                grain = OriginGrain.Byte;
            }
        }
        else if (grain == OriginGrain.Word && !aligned)
        {
            var bytes = ByteIds(slot);
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
            ByteIds(slot).Slice(offset, length).Fill(origin);
        }
    }

    /// <summary>The 64 per-byte ids of <paramref name="slot"/>, allocating the side array on first use.</summary>
    private Span<uint> ByteIds(int slot)
    {
        byteIds ??= GC.AllocateUninitializedArray<uint>(records.Length * LineSize);
        return byteIds.AsSpan(slot * LineSize, LineSize);
    }
}
