namespace Coherence.Platform.TraceSim;

/// <summary>
/// Replays trace records through a hierarchy of <see cref="SimCache"/>s the way Dinero IV's driver does: instruction
/// fetches go to the instruction path, everything else to the data path; copy-back records go down the data path and
/// invalidate records down both; <c>-flushcount</c> copies back and invalidates everything; at the end every dirty
/// block is copied back. Records are fed in batches with <see cref="Process"/>; memory use does not depend on how many.
/// </summary>
public sealed class TraceSimulator
{
    private readonly CachesimConfig config;
    private readonly SimCache?[] instructionTop;
    private readonly SimCache?[] dataTop;
    private readonly SimCache[][] privateCaches;
    private readonly List<SimCache> caches = [];
    private readonly long[] extensionCounts = new long[11];
    private readonly bool plain;
    private readonly int cores;
    private readonly uint smallestBlock;
    private long skipLeft;
    private long flushLeft;
    private long intervalLeft;
    private bool discarding;
    private bool toggled;

    /// <summary>Builds the hierarchy of <paramref name="config"/>. Throws <see cref="ArgumentException"/> when it is
    /// not one the simulator can build (no cache, a geometry the platform cache rejects).</summary>
    public TraceSimulator(CachesimConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        var levels = config.LevelCount;
        if (levels == 0)
        {
            throw new ArgumentException("no cache is configured", nameof(config));
        }
        cores = Math.Max(1, config.Cores);
        var firstShared = cores > 1 ? Math.Max(levels, 2) : 1;
        if (cores > 1 && levels == 1)
        {
            firstShared = levels + 1;
        }

        // Shared levels, deepest first, as Dinero's initialize_caches links them.
        SimCache? sharedI = null;
        SimCache? sharedD = null;
        var built = new SimCache?[cores, levels, 3];
        for (var level = levels; level >= firstShared; level--)
        {
            Link(level, -1, ref sharedI, ref sharedD, built, 0);
        }
        instructionTop = new SimCache?[cores];
        dataTop = new SimCache?[cores];
        privateCaches = new SimCache[cores][];
        for (var core = 0; core < cores; core++)
        {
            var ci = sharedI;
            var cd = sharedD;
            var mine = new List<SimCache>();
            for (var level = Math.Min(firstShared - 1, levels); level >= 1; level--)
            {
                Link(level, cores > 1 ? core : -1, ref ci, ref cd, built, core);
            }
            instructionTop[core] = ci;
            dataTop[core] = cd;
            for (var level = 1; level < firstShared && level <= levels; level++)
            {
                for (var role = 0; role < 3; role++)
                {
                    if (built[core, level - 1, role] is { } c)
                    {
                        mine.Add(c);
                    }
                }
            }
            privateCaches[core] = [.. mine];
        }

        // Dinero's report order: by level, then unified, instruction, data; private caches core by core.
        for (var level = 1; level <= levels; level++)
        {
            var coreCount = level < firstShared ? cores : 1;
            for (var core = 0; core < coreCount; core++)
            {
                for (var role = 0; role < 3; role++)
                {
                    if (built[core, level - 1, role] is { } c)
                    {
                        caches.Add(c);
                    }
                }
            }
        }
        smallestBlock = uint.MaxValue;
        foreach (var c in caches)
        {
            smallestBlock = Math.Min(smallestBlock, (uint)c.Config.BlockSize);
        }

        skipLeft = config.SkipCount;
        flushLeft = config.FlushCount;
        intervalLeft = config.StatInterval;
        discarding = config.OnTrigger != 0;
        plain = config.SkipCount == 0 && config.FlushCount == 0 && config.MaxCount == 0 && config.StatInterval == 0
            && config.OnTrigger == 0 && config.OffTrigger == 0 && cores == 1;
    }

    private void Link(int level, int core, ref SimCache? ci, ref SimCache? cd, SimCache?[,,] built, int slot)
    {
        for (var role = 0; role < 3; role++)
        {
            var lc = config[level, (CacheRole)role];
            if (lc is null)
            {
                continue;
            }
            var id = role == 0 ? 'u' : role == 1 ? 'i' : 'd';
            var name = core < 0 ? $"l{level}-{id}cache" : $"c{core}-l{level}-{id}cache";
            var seed = config.RandomSeed + (ulong)(level * 16 + role * 4 + Math.Max(core, 0) * 256);
            SimCache c;
            switch (role)
            {
                case 0:
                    c = SimCache.Create(name, CacheRole.Unified, level, lc, ci, seed);
                    ci = c;
                    cd = c;
                    break;
                case 1:
                    c = SimCache.Create(name, CacheRole.Instruction, level, lc, ci, seed);
                    ci = c;
                    break;
                default:
                    c = SimCache.Create(name, CacheRole.Data, level, lc, cd, seed);
                    cd = c;
                    break;
            }
            if (core < 0)
            {
                for (var k = 0; k < built.GetLength(0); k++)
                {
                    built[k, level - 1, role] = c;
                }
            }
            else
            {
                built[slot, level - 1, role] = c;
            }
        }
    }

    /// <summary>The caches in Dinero's report order.</summary>
    public IReadOnlyList<SimCache> Caches => caches;

    /// <summary>The configuration simulated.</summary>
    public CachesimConfig Config => config;

    /// <summary>Records simulated so far (after skipping and trigger discards).</summary>
    public long SimulatedCount { get; private set; }

    /// <summary>Records still to skip (non-zero at the end when the trace was shorter than <c>-skipcount</c>).</summary>
    public long SkipRemaining => skipLeft;

    /// <summary>True once a record arrived after <c>-maxcount</c> records were simulated; the run has stopped.</summary>
    public bool MaxCountExceeded { get; private set; }

    /// <summary>Whether a trigger address toggled discarding at least once.</summary>
    public bool TriggerMatched => toggled;

    /// <summary>Whether records are being discarded because of the trigger addresses.</summary>
    public bool Discarding => discarding;

    /// <summary>Bytes written straight to memory by non-temporal stores (extension).</summary>
    public long NonTemporalBytes { get; private set; }

    /// <summary>Dirty blocks another core's access pulled out of a private cache (extension, several cores).</summary>
    public long SnoopWriteBacks { get; private set; }

    /// <summary>Blocks a write invalidated in other cores' private caches (extension, several cores).</summary>
    public long SnoopInvalidations { get; private set; }

    /// <summary>How many records of the cache-maintenance kind <paramref name="op"/> were simulated.</summary>
    public long RecordCount(TraceOp op) => extensionCounts[(int)op];

    /// <summary>Whether any extension (maintenance record beyond Dinero's, several cores) was used.</summary>
    public bool UsedExtensions
    {
        get
        {
            for (var i = (int)TraceOp.Clflush; i < extensionCounts.Length; i++)
            {
                if (extensionCounts[i] != 0)
                {
                    return true;
                }
            }
            return cores > 1;
        }
    }

    /// <summary>Called after every <c>-stat-interval</c> records.</summary>
    public Action<TraceSimulator>? IntervalReached { get; set; }

    /// <summary>
    /// Simulates <paramref name="records"/>. Returns false when the run must stop (a record arrived after
    /// <c>-maxcount</c> records); the caller then stops reading.
    /// </summary>
    public bool Process(ReadOnlySpan<TraceRecord> records)
    {
        if (plain)
        {
            var ci = instructionTop[0];
            var cd = dataTop[0];
            foreach (ref readonly var r in records)
            {
                if (r.Op == TraceOp.InstructionFetch)
                {
                    ci?.Reference(r.Address, r.Size, TraceOp.InstructionFetch);
                }
                else if (r.Op <= TraceOp.Misc)
                {
                    cd?.Reference(r.Address, r.Size, r.Op);
                }
                else
                {
                    Dispatch(in r);
                }
            }
            SimulatedCount += records.Length;
            return true;
        }
        foreach (ref readonly var r in records)
        {
            if (skipLeft > 0)
            {
                skipLeft--;
                continue;
            }
            if (r.Address != 0 && (config.OnTrigger | config.OffTrigger) != 0)
            {
                if ((discarding && config.OnTrigger == r.Address) || (!discarding && config.OffTrigger == r.Address))
                {
                    discarding = !discarding;
                    toggled = true;
                    continue;
                }
            }
            if (discarding)
            {
                continue;
            }
            if (config.MaxCount != 0 && SimulatedCount >= config.MaxCount)
            {
                MaxCountExceeded = true;
                return false;
            }
            Dispatch(in r);
            SimulatedCount++;
            if (intervalLeft > 0 && --intervalLeft <= 0)
            {
                IntervalReached?.Invoke(this);
                intervalLeft = config.StatInterval;
            }
            if (flushLeft > 0 && --flushLeft <= 0)
            {
                FlushAll();
                flushLeft = config.FlushCount;
            }
        }
        return true;
    }

    /// <summary>Ends the run as Dinero does: every dirty block is copied back to memory.</summary>
    public void Finish()
    {
        for (var core = 0; core < cores; core++)
        {
            dataTop[core]?.CopyBack(0, 0, true);
        }
    }

    private void FlushAll()
    {
        for (var core = 0; core < cores; core++)
        {
            dataTop[core]?.CopyBack(0, 0, true);
        }
        for (var core = 0; core < cores; core++)
        {
            instructionTop[core]?.Invalidate(0, 0, true);
            if (dataTop[core] != instructionTop[core])
            {
                dataTop[core]?.Invalidate(0, 0, true);
            }
        }
    }

    private void Dispatch(in TraceRecord r)
    {
        var core = r.Core;
        if (core >= cores)
        {
            throw new ArgumentOutOfRangeException(nameof(r), $"core {core} is not below the {cores} cores simulated");
        }
        var ci = instructionTop[core];
        var cd = dataTop[core];
        switch (r.Op)
        {
            case TraceOp.InstructionFetch:
                if (cores > 1 && ci is not null && !ci.Holds(r.Address))
                {
                    Snoop(core, r.Address, r.Size, invalidate: false);
                }
                ci?.Reference(r.Address, r.Size, TraceOp.InstructionFetch);
                break;
            case TraceOp.Read:
            case TraceOp.Misc:
                if (cores > 1 && cd is not null && !cd.Holds(r.Address))
                {
                    Snoop(core, r.Address, r.Size, invalidate: false);
                }
                cd?.Reference(r.Address, r.Size, r.Op);
                break;
            case TraceOp.Write:
                if (cores > 1 && cd is not null && !cd.HoldsDirty(r.Address))
                {
                    Snoop(core, r.Address, r.Size, invalidate: true);
                }
                cd?.Reference(r.Address, r.Size, TraceOp.Write);
                break;
            case TraceOp.CopyBack:
                cd?.CopyBack(r.Address, r.Size, true);
                break;
            case TraceOp.Invalidate:
                ci?.Invalidate(r.Address, r.Size, true);
                cd?.Invalidate(r.Address, r.Size, true);
                break;
            case TraceOp.Clflush:
            case TraceOp.Clflushopt:
                extensionCounts[(int)r.Op]++;
                FlushLines(r.Address, 1, invalidate: true);
                break;
            case TraceOp.Clwb:
                extensionCounts[(int)r.Op]++;
                FlushLines(r.Address, 1, invalidate: false);
                break;
            case TraceOp.NonTemporalStore:
                extensionCounts[(int)r.Op]++;
                FlushLines(r.Address, Math.Max(r.Size, 1), invalidate: true);
                NonTemporalBytes += r.Size;
                break;
            case TraceOp.Wbinvd:
                extensionCounts[(int)r.Op]++;
                cd?.CopyBack(0, 0, true);
                ci?.Invalidate(0, 0, true);
                if (cd != ci)
                {
                    cd?.Invalidate(0, 0, true);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(r), $"unknown trace operation {(int)r.Op}");
        }
    }

    /// <summary>
    /// Writes back (and with <paramref name="invalidate"/> invalidates) every block overlapping the bytes given, in
    /// every core's caches and the shared ones: the x86 flush instructions act machine-wide.
    /// </summary>
    private void FlushLines(ulong address, uint size, bool invalidate)
    {
        var step = (ulong)smallestBlock;
        var last = address + size - 1;
        for (var a = address & ~(step - 1); a <= last && a >= (address & ~(step - 1)); a += step)
        {
            for (var core = 0; core < cores; core++)
            {
                dataTop[core]?.CopyBack(a, 1, true);
            }
            if (invalidate)
            {
                for (var core = 0; core < cores; core++)
                {
                    instructionTop[core]?.Invalidate(a, 1, true);
                    dataTop[core]?.Invalidate(a, 1, true);
                }
            }
        }
    }

    /// <summary>
    /// Write-invalidate coherence between cores' private caches: before core <paramref name="requester"/> misses on a
    /// block (or writes one it does not hold dirty), every other core writes back its dirty copy towards the shared
    /// level, private level by private level; for a write the copies are then invalidated.
    /// </summary>
    private void Snoop(int requester, ulong address, uint size, bool invalidate)
    {
        _ = size;
        for (var core = 0; core < cores; core++)
        {
            if (core == requester)
            {
                continue;
            }
            foreach (var c in privateCaches[core])
            {
                if (c.HoldsDirty(address))
                {
                    c.CopyBack(address, 1, false);
                    SnoopWriteBacks++;
                }
            }
            if (invalidate)
            {
                foreach (var c in privateCaches[core])
                {
                    if (c.Holds(address))
                    {
                        c.Invalidate(address, 1, false);
                        SnoopInvalidations++;
                    }
                }
            }
        }
    }
}
