using Coherence.Platform.Caches;
using Coherence.Platform.Cpus;
using Coherence.Platform.Events;

namespace Coherence.Platform.Memory;

/// <summary>
/// The cache hierarchy and its coherence protocol (MESI), between the CPUs and the devices.
/// </summary>
/// <remarks>
/// Simplification (documented in docs/platform.md): the hierarchy is exclusive. A miss fills the requesting core's L1
/// only; L2 and the LLC receive the lines evicted from the level above; a hit in L2 or the LLC moves the line up into
/// L1. Real parts differ in inclusion, but what the seeds depend on is kept: where a stale or dirty line can sit,
/// when it is written back, and which caches WBINVD reaches.
/// Invariants (MOESI): at most one cache in the machine holds a line dirty (Modified or Owned); every valid copy of a line holds equal bytes
/// and origins; a line held Modified or Exclusive has no other copy. Caches are coherent with each other but not with devices:
/// erasing, re-pointing or DMA-writing a device leaves cached copies as they were.
/// </remarks>
internal sealed class MemorySystem
{
    private readonly bool speculativeFetch;
    private readonly Machine machine;
    private readonly ModelCache[] caches;
    private readonly CacheLevel[] levels;
    private readonly int[] cpuOf;
    private readonly int[] socketOf;
    private readonly int[] l1Of;
    private readonly int[] l2Of;
    private readonly int[] llcOf;
    private readonly LinePool pool;
    private LineBytes temp;
    private LineOrigins readIds;

    public MemorySystem(Machine machine, PlatformConfig config)
    {
        speculativeFetch = config.SpeculativeFetch;
        this.machine = machine;
        var n = config.CpuCount * 2 + config.Sockets;
        var l1 = new CacheGeometry(config.L1.SizeBytes, config.L1.Ways);
        var l2 = new CacheGeometry(config.L2.SizeBytes, config.L2.Ways);
        var llc = new CacheGeometry(config.Llc.SizeBytes, config.Llc.Ways);
        // One pool of line records for every cache and the temporary line: a line moving between levels keeps its record.
        pool = new LinePool();
        ModelCache NewCache(string name, CacheGeometry geometry) =>
            new(name, geometry, default, LineBytes.Shared(pool, geometry.Slots));
        caches = new ModelCache[n];
        levels = new CacheLevel[n];
        cpuOf = new int[n];
        socketOf = new int[n];
        l1Of = new int[config.CpuCount];
        l2Of = new int[config.CpuCount];
        llcOf = new int[config.Sockets];
        var k = 0;
        for (var s = 0; s < config.Sockets; s++)
        {
            for (var c = 0; c < config.CoresPerSocket; c++)
            {
                var cpu = s * config.CoresPerSocket + c;
                l1Of[cpu] = k;
                Add(k++, NewCache($"cpu{cpu}.L1", l1), CacheLevel.L1, cpu, s);
                l2Of[cpu] = k;
                Add(k++, NewCache($"cpu{cpu}.L2", l2), CacheLevel.L2, cpu, s);
            }
            llcOf[s] = k;
            Add(k++, NewCache($"socket{s}.LLC", llc), CacheLevel.Llc, -1, s);
        }
        temp = LineBytes.Shared(pool, 1);
    }

    private void Add(int k, ModelCache cache, CacheLevel level, int cpu, int socket)
    {
        caches[k] = cache;
        levels[k] = level;
        cpuOf[k] = cpu;
        socketOf[k] = socket;
    }

    public int CacheCount => caches.Length;

    public ModelCache Cache(int k) => caches[k];

    public CacheLevel LevelOf(int k) => levels[k];

    public int CpuOfCache(int k) => cpuOf[k];

    public int SocketOfCache(int k) => socketOf[k];

    public ModelCache L1(int cpu) => caches[l1Of[cpu]];

    public ModelCache L2(int cpu) => caches[l2Of[cpu]];

    public ModelCache Llc(int socket) => caches[llcOf[socket]];

    public int L1Index(int cpu) => l1Of[cpu];

    public int L2Index(int cpu) => l2Of[cpu];

    public int LlcIndex(int socket) => llcOf[socket];

    /// <summary>
    /// A cacheable load of <paramref name="dst"/>.Length bytes at <paramref name="offset"/> of <paramref name="line"/>
    /// by <paramref name="core"/> (any instruction set): the line is made readable in its L1 and the bytes and their
    /// origins copied out; with speculative fetches enabled the line becomes a speculation candidate.
    /// </summary>
    public void LoadCached(CpuCore core, ulong line, int offset, Span<byte> dst, Span<uint> dstOrigins)
    {
        var slot = AcquireForRead(core.Index, line, speculative: false);
        core.L1.Payload.Data(slot).Slice(offset, dst.Length).CopyTo(dst);
        core.L1.Payload.ReadOrigins(slot, offset, dstOrigins);
        if (speculativeFetch)
        {
            core.SpeculationCandidates.Add(line);
        }
    }

    /// <summary>Makes the line present in the core's L1, readable; returns its slot.</summary>
    public int AcquireForRead(int cpu, ulong line, bool speculative)
    {
        var l1 = caches[l1Of[cpu]];
        var slot = l1.Find(line);
        if (slot >= 0)
        {
            l1.Touch(slot);
            return slot;
        }
        return Miss(cpu, line, forWrite: false, speculative);
    }

    /// <summary>Makes the line present in the core's L1 Modified (every other copy invalidated); returns its slot.</summary>
    public int AcquireForWrite(int cpu, ulong line)
    {
        var l1Index = l1Of[cpu];
        var l1 = caches[l1Index];
        var slot = l1.Find(line);
        if (slot >= 0)
        {
            var state = l1.StateOf(slot);
            if (!state.IsSole())
            {
                InvalidateCopies(line, l1Index, cpu);
            }
            l1.SetState(slot, LineState.Modified);
            l1.Touch(slot);
            return slot;
        }
        return Miss(cpu, line, forWrite: true, speculative: false);
    }

    private int Miss(int cpu, ulong line, bool forWrite, bool speculative)
    {
        var socket = machine.CpuAt(cpu).Socket;
        var l1Index = l1Of[cpu];
        LineState state;
        var fromDevice = false;
        if (TakeFrom(l2Of[cpu], line, out state) || TakeFrom(llcOf[socket], line, out state))
        {
            if (forWrite && !state.IsSole())
            {
                InvalidateCopies(line, l1Index, cpu);
            }
        }
        else if (CopyFromPeer(line, l1Index, cpu, socket, forWrite))
        {
            state = LineState.Shared;
        }
        else
        {
            var grain = machine.ReadDeviceLine(line, temp.Data(0), readIds);
            temp.SetOrigins(0, readIds, grain);
            state = LineState.Exclusive;
            fromDevice = true;
        }
        if (forWrite)
        {
            state = LineState.Modified;
        }
        var slot = Install(l1Index, line, state, ref temp, 0);
        if (machine.Observed)
        {
            var l1 = caches[l1Index];
            machine.Emit(new MachineEvent(EventKind.Fill, machine.Step, cpu, l1.Name, line, 64, -1,
                state.IsDirty(), l1.Payload.OriginAt(slot, 0), speculative ? 1 : fromDevice ? 0 : 2));
        }
        return slot;
    }

    /// <summary>Moves the line out of cache <paramref name="k"/> into the temporary buffers if present.</summary>
    private bool TakeFrom(int k, ulong line, out LineState state)
    {
        var cache = caches[k];
        var slot = cache.Find(line);
        if (slot < 0)
        {
            state = LineState.Invalid;
            return false;
        }
        state = cache.StateOf(slot);
        cache.Payload.MoveTo(slot, ref temp, 0);
        cache.Invalidate(slot);
        return true;
    }

    /// <summary>Copies the line in <paramref name="slot"/> of <paramref name="cache"/> into the temporary line.</summary>
    private void Save(ModelCache cache, int slot) => cache.Payload.CopyTo(slot, ref temp, 0);

    /// <summary>Copies the line from any other cache holding it; downgrades Exclusive copies to Shared, or, for a
    /// write, invalidates every copy (the requester becomes the owner).</summary>
    /// <remarks>The requester's own L2 and LLC have just been searched (the line is not there) and are skipped, as
    /// are empty caches.</remarks>
    private bool CopyFromPeer(ulong line, int requesterL1, int cpu, int socket, bool forWrite)
    {
        var found = false;
        var ownL2 = l2Of[cpu];
        var ownLlc = llcOf[socket];
        for (var k = 0; k < caches.Length; k++)
        {
            var cache = caches[k];
            if (k == requesterL1 || k == ownL2 || k == ownLlc || cache.ValidCount == 0)
            {
                continue;
            }
            var slot = cache.Find(line);
            if (slot < 0)
            {
                continue;
            }
            if (!found)
            {
                Save(cache, slot);
                found = true;
            }
            if (forWrite)
            {
                var dirty = cache.StateOf(slot).IsDirty();
                cache.Invalidate(slot);
                EmitInvalidate(cpu, cache.Name, line, dirty);
            }
            else if (cache.StateOf(slot) == LineState.Exclusive)
            {
                cache.SetState(slot, LineState.Shared);
            }
            else if (cache.StateOf(slot) == LineState.Modified)
            {
                cache.SetState(slot, LineState.Owned);
            }
        }
        return found;
    }

    /// <summary>Invalidates every copy of the line except the one in cache <paramref name="keep"/>.</summary>
    public void InvalidateCopies(ulong line, int keep, int cpu)
    {
        for (var k = 0; k < caches.Length; k++)
        {
            var cache = caches[k];
            if (k == keep || cache.ValidCount == 0)
            {
                continue;
            }
            var slot = cache.Find(line);
            if (slot >= 0)
            {
                var dirty = cache.StateOf(slot).IsDirty();
                cache.Invalidate(slot);
                EmitInvalidate(cpu, cache.Name, line, dirty);
            }
        }
    }

    private void EmitInvalidate(int cpu, string cache, ulong line, bool dirty)
    {
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Invalidate, machine.Step, cpu, cache, line, 64, -1, dirty, 0, 0));
        }
    }

    /// <summary>Installs a line into cache <paramref name="k"/>, evicting a victim (chosen through the chooser) if the set is full.</summary>
    /// <remarks>The line's bytes and origins are moved from <paramref name="sourceSlot"/> of <paramref name="source"/>
    /// (which is left with unspecified contents: the temporary line, or the slot being evicted one level up, which its
    /// owner empties next; the eviction cascade does not touch it).</remarks>
    private int Install(int k, ulong line, LineState state, ref LineBytes source, int sourceSlot)
    {
        var cache = caches[k];
        var slot = cache.VictimFor(line, out var mustEvict);
        if (mustEvict)
        {
            var first = cache.FirstSlotOfSet(line);
            var way = machine.Decide(Choice.ChoiceKind.Victim, cache.Ways, slot - first);
            slot = first + way;
            Evict(k, slot);
        }
        cache.Install(slot, line, state);
        source.MoveTo(sourceSlot, ref cache.Payload, slot);
        return slot;
    }

    /// <summary>Moves the line in <paramref name="slot"/> of cache <paramref name="k"/> one level down
    /// (L1 to L2, L2 to the LLC) or, from the LLC, writes it back if dirty; the slot is then empty.</summary>
    public void Evict(int k, int slot)
    {
        var cache = caches[k];
        var line = cache.AddressOf(slot);
        var state = cache.StateOf(slot);
        var target = levels[k] switch
        {
            CacheLevel.L1 => l2Of[cpuOf[k]],
            CacheLevel.L2 => llcOf[socketOf[k]],
            _ => -1,
        };
        if (machine.Observed)
        {
            machine.Emit(new MachineEvent(EventKind.Evict, machine.Step, cpuOf[k], cache.Name, line, 64, -1,
                state.IsDirty(), 0, target));
        }
        if (target >= 0)
        {
            InsertVictim(target, line, state, ref cache.Payload, slot);
        }
        else if (state.IsDirty())
        {
            machine.WriteBackLine(cache.Name, cpuOf[k], line, cache.Payload.Data(slot), cache.Payload.OriginIds(slot), cache.Payload.GrainOf(slot));
        }
        cache.Invalidate(slot);
    }

    private void InsertVictim(int k, ulong line, LineState state, ref LineBytes source, int sourceSlot)
    {
        var cache = caches[k];
        var existing = cache.Find(line);
        if (existing >= 0)
        {
            if (state.IsDirty())
            {
                cache.SetState(existing, LineState.Owned);
                source.MoveTo(sourceSlot, ref cache.Payload, existing);
            }
            cache.Touch(existing);
            return;
        }
        Install(k, line, state, ref source, sourceSlot);
    }

    /// <summary>
    /// CLFLUSH/CLFLUSHOPT/CLWB across the coherence domain: the dirty copy, if any, is written to the device; copies
    /// are invalidated, or with <paramref name="retain"/> kept clean. Returns true when a dirty copy was written back.
    /// </summary>
    public bool FlushLine(ulong line, bool retain, int cpu)
    {
        var wrote = false;
        for (var k = 0; k < caches.Length; k++)
        {
            var cache = caches[k];
            var slot = cache.Find(line);
            if (slot < 0)
            {
                continue;
            }
            var dirty = cache.StateOf(slot).IsDirty();
            if (dirty)
            {
                machine.WriteBackLine(cache.Name, cpu, line, cache.Payload.Data(slot), cache.Payload.OriginIds(slot), cache.Payload.GrainOf(slot));
                wrote = true;
            }
            if (retain)
            {
                cache.SetState(slot, LineState.Shared);
            }
            else
            {
                cache.Invalidate(slot);
                EmitInvalidate(cpu, cache.Name, line, dirty);
            }
        }
        return wrote;
    }

    /// <summary>Writes back a dirty copy held outside cache <paramref name="keep"/> and invalidates every copy outside it
    /// (a write-through store keeps the writer's L1 copy and makes the others go away).</summary>
    public void WriteBackAndInvalidateOthers(ulong line, int keep, int cpu)
    {
        for (var k = 0; k < caches.Length; k++)
        {
            var cache = caches[k];
            if (k == keep || cache.ValidCount == 0)
            {
                continue;
            }
            var slot = cache.Find(line);
            if (slot < 0)
            {
                continue;
            }
            var dirty = cache.StateOf(slot).IsDirty();
            if (dirty)
            {
                machine.WriteBackLine(cache.Name, cpu, line, cache.Payload.Data(slot), cache.Payload.OriginIds(slot), cache.Payload.GrainOf(slot));
            }
            cache.Invalidate(slot);
            EmitInvalidate(cpu, cache.Name, line, dirty);
        }
    }

    /// <summary>Writes back every dirty line of one cache and, unless <paramref name="keep"/>, invalidates every line.
    /// Returns the number of lines written back.</summary>
    public int WriteBackCache(int k, bool keep, int cpu)
    {
        var cache = caches[k];
        var n = 0;
        for (var slot = cache.NextValid(0); slot >= 0; slot = cache.NextValid(slot + 1))
        {
            var state = cache.StateOf(slot);
            var line = cache.AddressOf(slot);
            if (state.IsDirty())
            {
                machine.WriteBackLine(cache.Name, cpu, line, cache.Payload.Data(slot), cache.Payload.OriginIds(slot), cache.Payload.GrainOf(slot));
                n++;
                if (keep)
                {
                    cache.SetState(slot, LineState.Shared);
                }
            }
            if (!keep)
            {
                cache.Invalidate(slot);
                EmitInvalidate(cpu, cache.Name, line, state.IsDirty());
            }
        }
        return n;
    }

    /// <summary>Finds a valid copy of the line anywhere; returns the cache index and slot or (-1, -1).</summary>
    public (int Cache, int Slot) FindAny(ulong line)
    {
        for (var k = 0; k < caches.Length; k++)
        {
            var slot = caches[k].Find(line);
            if (slot >= 0)
            {
                return (k, slot);
            }
        }
        return (-1, -1);
    }

    /// <summary>Empties every cache (power failure).</summary>
    public void ClearAll()
    {
        foreach (var c in caches)
        {
            c.Clear();
        }
    }
}
