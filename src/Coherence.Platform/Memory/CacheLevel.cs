namespace Coherence.Platform.Memory;

/// <summary>Level of a cache in the hierarchy.</summary>
public enum CacheLevel : byte
{
    /// <summary>A core's level-1 data cache.</summary>
    L1,

    /// <summary>A core's level-2 cache.</summary>
    L2,

    /// <summary>A socket's shared last-level cache.</summary>
    Llc,
}
