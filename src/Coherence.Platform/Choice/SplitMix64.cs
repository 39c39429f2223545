namespace Coherence.Platform.Choice;

/// <summary>
/// A small seeded generator (SplitMix64) owned by the project, so that a seed or replay token means the same run on
/// every .NET version (System.Random's algorithm is not guaranteed stable).
/// </summary>
public struct SplitMix64
{
    private ulong state;

    /// <summary>Starts the sequence from <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => state = seed;

    /// <summary>The generator's state; constructing a generator from it continues the same sequence.</summary>
    public readonly ulong State => state;

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Returns a value in [0, <paramref name="bound"/>); <paramref name="bound"/> must be positive.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)(((NextUInt64() >> 32) * (ulong)bound) >> 32);
    }
}
