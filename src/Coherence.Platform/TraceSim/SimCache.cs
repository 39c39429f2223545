namespace Coherence.Platform.TraceSim;

/// <summary>
/// One cache of the trace-driven simulator, with Dinero IV's counters. Instances come from
/// <see cref="SimCache.Create"/>, which picks the specialisation for the replacement policy; the cache itself is the
/// platform's <see cref="Caches.SetAssociativeCache{TPayload, TPolicy}"/> holding tags only.
/// </summary>
/// <remarks>
/// Counting follows Dinero IV's d4ref: every piece of a reference (a reference that spans blocks is split at block
/// boundaries, each split counting one "multi-block ref") counts one demand fetch of its type, and one demand miss when
/// its block is absent. A miss sends a fetch of the whole block to the next level (as a read when the miss was a
/// write); a write-through sends the written bytes; a replaced dirty block is sent as a write of the block. Those go
/// out in that order — fetch, write-through, write-back — and the rest of a split reference follows them. Bytes
/// sent as fetches count in <see cref="BytesRead"/>, bytes sent as writes in <see cref="BytesWritten"/>.
/// </remarks>
public abstract class SimCache
{
    private protected readonly long[] fetches = new long[4];
    private protected readonly long[] misses = new long[4];
    private protected long multiBlock;
    private protected long bytesRead;
    private protected long bytesWritten;

    private protected SimCache(string name, CacheRole role, int level, CacheLevelConfig config, SimCache? downstream)
    {
        Name = name;
        Role = role;
        Level = level;
        Config = config;
        Downstream = downstream;
    }

    /// <summary>Dinero's name for the cache, for example <c>l1-dcache</c>.</summary>
    public string Name { get; }

    /// <summary>Which stream the cache serves.</summary>
    public CacheRole Role { get; }

    /// <summary>The level, 1 nearest the processor.</summary>
    public int Level { get; }

    /// <summary>The cache's parameters.</summary>
    public CacheLevelConfig Config { get; }

    /// <summary>The next cache towards memory, or null when the next level is memory.</summary>
    public SimCache? Downstream { get; }

    /// <summary>Demand fetches of <paramref name="op"/> (read, write, instruction fetch or misc).</summary>
    public long Fetches(TraceOp op) => fetches[(int)op];

    /// <summary>Demand misses of <paramref name="op"/> (read, write, instruction fetch or misc).</summary>
    public long Misses(TraceOp op) => misses[(int)op];

    /// <summary>References split because they spanned a block boundary.</summary>
    public long MultiBlockReferences => multiBlock;

    /// <summary>Bytes fetched from the next level.</summary>
    public long BytesRead => bytesRead;

    /// <summary>Bytes written to the next level (write-backs and write-throughs).</summary>
    public long BytesWritten => bytesWritten;

    /// <summary>Creates a cache for <paramref name="config"/>, specialised for its replacement policy.</summary>
    public static SimCache Create(string name, CacheRole role, int level, CacheLevelConfig config, SimCache? downstream, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Replacement switch
        {
            ReplacementKind.Lru => new SimCache<Caches.LruPolicy>(name, role, level, config, downstream, default),
            ReplacementKind.Fifo => new SimCache<Caches.FifoPolicy>(name, role, level, config, downstream, default),
            _ => new SimCache<Caches.RandomPolicy>(name, role, level, config, downstream, new Caches.RandomPolicy(seed)),
        };
    }

    /// <summary>
    /// A demand reference of <paramref name="size"/> bytes (1–65535) at <paramref name="address"/>;
    /// <paramref name="op"/> is <see cref="TraceOp.Read"/>, <see cref="TraceOp.Write"/>,
    /// <see cref="TraceOp.InstructionFetch"/> or <see cref="TraceOp.Misc"/>.
    /// </summary>
    public abstract void Reference(ulong address, uint size, TraceOp op);

    /// <summary>
    /// Writes back the dirty block holding <paramref name="address"/> (or, when <paramref name="size"/> is 0, every
    /// dirty block, in Dinero's order) to the next level, keeping the blocks valid; then, when
    /// <paramref name="propagate"/>, does the same at the next level.
    /// </summary>
    public abstract void CopyBack(ulong address, uint size, bool propagate);

    /// <summary>
    /// Invalidates the block holding <paramref name="address"/> (or, when <paramref name="size"/> is 0, every block),
    /// discarding dirty data; then, when <paramref name="propagate"/>, does the same at the next level.
    /// </summary>
    public abstract void Invalidate(ulong address, uint size, bool propagate);

    /// <summary>Whether the block holding <paramref name="address"/> is present.</summary>
    public abstract bool Holds(ulong address);

    /// <summary>Whether the block holding <paramref name="address"/> is present and dirty.</summary>
    public abstract bool HoldsDirty(ulong address);

    /// <summary>Marks the block holding <paramref name="address"/> clean if it is present (the caller has written
    /// its data elsewhere).</summary>
    public abstract void MarkClean(ulong address);

    /// <summary>Adds the counters of <paramref name="other"/> to this cache's (for combined reports).</summary>
    public void Accumulate(SimCache other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < fetches.Length; i++)
        {
            fetches[i] += other.fetches[i];
            misses[i] += other.misses[i];
        }
        multiBlock += other.multiBlock;
        bytesRead += other.bytesRead;
        bytesWritten += other.bytesWritten;
    }
}
