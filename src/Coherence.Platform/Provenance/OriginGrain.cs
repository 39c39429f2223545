namespace Coherence.Platform.Provenance;

/// <summary>
/// How finely the origins of one 64-byte line are written down: one id for the whole line, one per 8-byte word, or
/// one per byte. Every grain is exact: byte <c>i</c> of the line has origin <c>ids[i &gt;&gt; grain]</c>, and a list of
/// ids in grain <c>g</c> has <c>64 &gt;&gt; g</c> entries. The value is the shift, so both are one instruction.
/// </summary>
/// <remarks>
/// Caches and devices keep lines in the coarsest grain that was known to fit when the line was written, so that
/// moving a line between levels copies 1 or 8 ids instead of 64. A finer grain than needed is allowed (the ids
/// then repeat); a coarser one never is.
/// </remarks>
public enum OriginGrain : byte
{
    /// <summary>One id per byte (64 ids).</summary>
    Byte = 0,

    /// <summary>One id per aligned 8-byte word (8 ids).</summary>
    Word = 3,

    /// <summary>One id for the whole line (1 id).</summary>
    Line = 6,
}

/// <summary>Helpers over <see cref="OriginGrain"/> for 64-byte lines.</summary>
public static class OriginGrains
{
    /// <summary>Bytes per line.</summary>
    public const int LineSize = 64;

    /// <summary>Number of ids a line's list holds in <paramref name="grain"/> (1, 8 or 64).</summary>
    public static int Count(this OriginGrain grain) => LineSize >> (int)grain;

    /// <summary>The origin of byte <paramref name="byteIndex"/> of a line whose ids are <paramref name="ids"/>.</summary>
    public static uint At(this OriginGrain grain, ReadOnlySpan<uint> ids, int byteIndex) => ids[byteIndex >> (int)grain];

    /// <summary>Writes the origin of each byte of [<paramref name="offset"/>, offset + destination.Length) of a line
    /// whose ids are <paramref name="ids"/> into <paramref name="destination"/>.</summary>
    public static void Expand(this OriginGrain grain, ReadOnlySpan<uint> ids, int offset, Span<uint> destination)
    {
        switch (grain)
        {
            case OriginGrain.Line:
                destination.Fill(ids[0]);
                break;
            case OriginGrain.Word:
                // One fill per word the range touches (one for an aligned 8-byte load).
                for (var i = 0; i < destination.Length;)
                {
                    var b = offset + i;
                    var n = Math.Min(8 - (b & 7), destination.Length - i);
                    destination.Slice(i, n).Fill(ids[b >> 3]);
                    i += n;
                }
                break;
            default:
                ids.Slice(offset, destination.Length).CopyTo(destination);
                break;
        }
    }

    /// <summary>
    /// Writes the ids of a line given one per byte (<paramref name="perByte"/>, 64 entries) into
    /// <paramref name="ids"/> in the coarsest grain that is exact, and returns that grain.
    /// </summary>
    public static OriginGrain Compress(ReadOnlySpan<uint> perByte, Span<uint> ids)
    {
        var grain = Coarsest(perByte);
        if (grain == OriginGrain.Line)
        {
            ids[0] = perByte[0];
        }
        else if (grain == OriginGrain.Word)
        {
            for (var w = 0; w < 8; w++)
            {
                ids[w] = perByte[w * 8];
            }
        }
        else
        {
            perByte[..LineSize].CopyTo(ids);
        }
        return grain;
    }

    /// <summary>The coarsest grain in which the per-byte ids <paramref name="perByte"/> (64 entries) can be written exactly.</summary>
    public static OriginGrain Coarsest(ReadOnlySpan<uint> perByte)
    {
        var first = perByte[0];
        var uniform = true;
        for (var i = 1; i < LineSize; i++)
        {
            if (perByte[i] != first)
            {
                uniform = false;
                if (perByte[i] != perByte[i & ~7])
                {
                    return OriginGrain.Byte;
                }
            }
        }
        return uniform ? OriginGrain.Line : OriginGrain.Word;
    }

    /// <summary>The coarsest exact grain for a line held as 8 word ids (<see cref="OriginGrain.Line"/> when they are all equal).</summary>
    public static OriginGrain CoarsestOfWords(ReadOnlySpan<uint> wordIds)
    {
        var first = wordIds[0];
        for (var w = 1; w < 8; w++)
        {
            if (wordIds[w] != first)
            {
                return OriginGrain.Word;
            }
        }
        return OriginGrain.Line;
    }
}
