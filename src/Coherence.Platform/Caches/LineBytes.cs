namespace Coherence.Platform.Caches;

/// <summary>
/// The model's payload: the 64 bytes of each slot and, per byte, the id of the origin that produced it
/// (see <see cref="Provenance.OriginTable"/>). Storage is allocated uninitialised so that untouched slots of a large
/// cache cost no resident memory.
/// </summary>
public struct LineBytes : ILinePayload
{
    private byte[] data;
    private uint[] origins;
    private int lineSize;

    /// <inheritdoc/>
    public void Initialise(int slots, int lineSize)
    {
        this.lineSize = lineSize;
        data = GC.AllocateUninitializedArray<byte>(slots * lineSize);
        origins = GC.AllocateUninitializedArray<uint>(slots * lineSize);
    }

    /// <summary>The bytes of <paramref name="slot"/>.</summary>
    public readonly Span<byte> Data(int slot) => data.AsSpan(slot * lineSize, lineSize);

    /// <summary>The origin id of each byte of <paramref name="slot"/>.</summary>
    public readonly Span<uint> Origins(int slot) => origins.AsSpan(slot * lineSize, lineSize);
}
