namespace Coherence.Platform.TraceSim;

/// <summary>
/// The whole simulated hierarchy and run controls, as Dinero IV's command line gives them, plus Coherence's
/// multi-core extension. Levels are numbered from 1 (nearest the processor) to <see cref="MaxLevels"/>; each level has
/// either a unified cache or instruction and/or data caches.
/// </summary>
public sealed class CachesimConfig
{
    /// <summary>The deepest level Dinero IV accepts.</summary>
    public const int MaxLevels = 5;

    private readonly CacheLevelConfig?[,] caches = new CacheLevelConfig?[MaxLevels, 3];

    /// <summary>The cache of <paramref name="role"/> at <paramref name="level"/> (1-based), or null.</summary>
    public CacheLevelConfig? this[int level, CacheRole role]
    {
        get => caches[level - 1, (int)role];
        set => caches[level - 1, (int)role] = value;
    }

    /// <summary>The deepest level that has a cache (0 when none).</summary>
    public int LevelCount
    {
        get
        {
            for (var level = MaxLevels; level >= 1; level--)
            {
                if (caches[level - 1, 0] is not null || caches[level - 1, 1] is not null || caches[level - 1, 2] is not null)
                {
                    return level;
                }
            }
            return 0;
        }
    }

    /// <summary>Records to skip before simulating (<c>-skipcount</c>).</summary>
    public long SkipCount { get; set; }

    /// <summary>Flush (copy back and invalidate) every cache after this many records; 0 never (<c>-flushcount</c>).</summary>
    public long FlushCount { get; set; }

    /// <summary>Stop after this many records; 0 for no limit (<c>-maxcount</c>).</summary>
    public long MaxCount { get; set; }

    /// <summary>Report statistics after every this many records; 0 never (<c>-stat-interval</c>).</summary>
    public long StatInterval { get; set; }

    /// <summary>Records are discarded until one at this address, itself discarded, is seen; 0 for none (<c>-on-trigger</c>).</summary>
    public ulong OnTrigger { get; set; }

    /// <summary>Records are discarded from one at this address on; 0 for none (<c>-off-trigger</c>).</summary>
    public ulong OffTrigger { get; set; }

    /// <summary>
    /// Number of cores (extension). With more than one, every level but the last is private to each core and the
    /// last level is shared; private caches are kept coherent by write-invalidate snooping.
    /// </summary>
    public int Cores { get; set; } = 1;

    /// <summary>Seed of the random replacement policy.</summary>
    public ulong RandomSeed { get; set; } = 1;
}
