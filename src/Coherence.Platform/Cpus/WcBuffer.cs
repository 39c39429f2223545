namespace Coherence.Platform.Cpus;

/// <summary>
/// One write-combining buffer: the bytes of one line gathered by non-temporal, write-combining or direct stores,
/// not yet visible to anyone but the issuing CPU until drained to the device.
/// </summary>
public sealed class WcBuffer
{
    /// <summary>True while the buffer holds a line.</summary>
    public bool InUse { get; internal set; }

    /// <summary>The line's physical address.</summary>
    public ulong Line { get; internal set; }

    /// <summary>Bytes gathered (bit i = byte i of the line).</summary>
    public ulong Mask { get; internal set; }

    /// <summary>True when the stores were to write-back memory (non-temporal or MOVDIR64B): draining invalidates
    /// cached copies of the line everywhere first, as those stores are coherent. False for WC-typed mappings,
    /// which do not snoop the caches.</summary>
    public bool Coherent { get; internal set; }

    /// <summary>The order in which buffers were allocated (the oldest drains first when all are in use).</summary>
    public long Sequence { get; internal set; }

    /// <summary>The gathered bytes.</summary>
    public LineBuffer Data;

    /// <summary>The gathered bytes' origins.</summary>
    public LineOrigins Origins;

    /// <summary>Copies <paramref name="bytes"/> at <paramref name="offset"/> of the line, each with <paramref name="origin"/>.</summary>
    internal void Gather(int offset, ReadOnlySpan<byte> bytes, uint origin)
    {
        bytes.CopyTo(((Span<byte>)Data)[offset..]);
        ((Span<uint>)Origins).Slice(offset, bytes.Length).Fill(origin);
        Mask |= bytes.Length == 64 ? ulong.MaxValue : ((1UL << bytes.Length) - 1) << offset;
    }

    internal void Reset()
    {
        InUse = false;
        Mask = 0;
        Line = 0;
    }
}
