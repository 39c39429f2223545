using System.Numerics;

namespace Coherence.Platform.Caches;

/// <summary>Size, associativity and line size of one cache; validated on construction.</summary>
public readonly record struct CacheGeometry
{
    /// <summary>Creates a geometry. Throws <see cref="ArgumentException"/> naming the offending value when the
    /// size is not a multiple of ways × line size, or the line size or the number of sets is not a power of two.</summary>
    public CacheGeometry(long sizeBytes, int ways, int lineSize = 64)
    {
        if (lineSize <= 0 || !BitOperations.IsPow2(lineSize))
        {
            throw new ArgumentException($"cache line size {lineSize} is not a positive power of two", nameof(lineSize));
        }
        if (ways <= 0)
        {
            throw new ArgumentException($"cache associativity {ways} must be at least 1", nameof(ways));
        }
        if (sizeBytes <= 0 || sizeBytes % ((long)ways * lineSize) != 0)
        {
            throw new ArgumentException($"cache size {sizeBytes} bytes is not a positive multiple of {ways} ways x {lineSize}-byte lines", nameof(sizeBytes));
        }
        var sets = sizeBytes / ((long)ways * lineSize);
        if (!BitOperations.IsPow2(sets) || sets > int.MaxValue / ways)
        {
            throw new ArgumentException($"cache of {sizeBytes} bytes with {ways} ways has {sets} sets, which is not a power of two", nameof(sizeBytes));
        }
        SizeBytes = sizeBytes;
        Ways = ways;
        LineSize = lineSize;
        Sets = (int)sets;
    }

    /// <summary>Capacity in bytes.</summary>
    public long SizeBytes { get; }

    /// <summary>Ways per set.</summary>
    public int Ways { get; }

    /// <summary>Bytes per line.</summary>
    public int LineSize { get; }

    /// <summary>Number of sets (a power of two).</summary>
    public int Sets { get; }

    /// <summary>Number of slots (sets × ways).</summary>
    public int Slots => Sets * Ways;
}
