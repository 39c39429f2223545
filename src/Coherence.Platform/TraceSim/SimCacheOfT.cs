using Coherence.Platform.Caches;

namespace Coherence.Platform.TraceSim;

/// <summary>
/// The simulator's cache specialised for one replacement policy: the platform's set-associative cache instantiated
/// with <see cref="NoPayload"/>, so it keeps tags and MESI states only (Modified = dirty).
/// </summary>
internal sealed class SimCache<TPolicy> : SimCache
    where TPolicy : struct, IRankedReplacementPolicy
{
    private readonly SetAssociativeCache<NoPayload, TPolicy> cache;
    private readonly ulong blockMask;
    private readonly uint blockSize;
    private readonly WriteAllocateKind writeAllocate;
    private readonly WriteBackKind writeBack;
    private readonly ulong[] rankBuffer;
    private readonly ulong[] addressBuffer;

    public SimCache(string name, CacheRole role, int level, CacheLevelConfig config, SimCache? downstream, TPolicy policy)
        : base(name, role, level, config, downstream)
    {
        if (config.SubBlockSize != 0 && config.SubBlockSize != config.BlockSize)
        {
            throw new ArgumentException($"{name}: sub-blocks smaller than the block are not supported", nameof(config));
        }
        if (config.BlockSize > ushort.MaxValue)
        {
            throw new ArgumentException($"{name}: block size must be at most 32768 bytes", nameof(config));
        }
        cache = new SetAssociativeCache<NoPayload, TPolicy>(name, new CacheGeometry(config.SizeBytes, config.Associativity, config.BlockSize), policy);
        blockSize = (uint)config.BlockSize;
        blockMask = blockSize - 1;
        writeAllocate = config.WriteAllocate;
        writeBack = config.WriteBack;
        rankBuffer = new ulong[config.Associativity];
        addressBuffer = new ulong[config.Associativity];
    }

    public override void Reference(ulong address, uint size, TraceOp op)
    {
        while (true)
        {
            var blockAddress = address & ~blockMask;
            var piece = size;
            var split = ((address + size - 1) & ~blockMask) != blockAddress;
            if (split)
            {
                piece = blockSize - (uint)(address & blockMask);
                multiBlock++;
            }

            var slot = cache.Find(address);
            var miss = slot < 0;
            var isWrite = op == TraceOp.Write;
            var allocate = isWrite && writeAllocate switch
            {
                WriteAllocateKind.Always => true,
                WriteAllocateKind.Never => false,
                _ => piece == blockSize,
            };
            var dirtyVictim = false;
            ulong victimAddress = 0;
            var writeBackNow = false;
            if (!isWrite || !miss || allocate)
            {
                if (miss)
                {
                    slot = cache.VictimFor(address, out var mustEvict);
                    if (mustEvict && cache.StateOf(slot) == LineState.Modified)
                    {
                        dirtyVictim = true;
                        victimAddress = cache.AddressOf(slot);
                    }
                    cache.Install(slot, address, LineState.Exclusive);
                }
                else
                {
                    cache.Touch(slot);
                }
                if (isWrite)
                {
                    // Dinero's "nofetch" write-back asks whether every sub-block written is valid, after marking
                    // them valid: with whole-block sub-blocks that always holds, so it writes back like "always".
                    writeBackNow = writeBack != WriteBackKind.Never;
                    if (writeBackNow)
                    {
                        cache.SetState(slot, LineState.Modified);
                    }
                }
            }

            var kind = (int)op;
            fetches[kind]++;
            if (miss)
            {
                misses[kind]++;
                if (!isWrite || (allocate && piece != blockSize))
                {
                    bytesRead += blockSize;
                    Send(blockAddress, blockSize, isWrite ? TraceOp.Read : op);
                }
            }
            if (isWrite && !writeBackNow)
            {
                bytesWritten += piece;
                Send(address, piece, TraceOp.Write);
            }
            if (dirtyVictim)
            {
                bytesWritten += blockSize;
                Send(victimAddress, blockSize, TraceOp.Write);
            }
            if (!split)
            {
                return;
            }
            address = blockAddress + blockSize;
            size -= piece;
        }
    }

    public override void CopyBack(ulong address, uint size, bool propagate)
    {
        if (size > 0)
        {
            var slot = cache.Find(address);
            if (slot >= 0 && cache.StateOf(slot) == LineState.Modified)
            {
                cache.SetState(slot, LineState.Exclusive);
                bytesWritten += blockSize;
                Send(cache.AddressOf(slot), blockSize, TraceOp.Write);
            }
        }
        else
        {
            CopyBackAll();
        }
        if (propagate)
        {
            Downstream?.CopyBack(address, size, true);
        }
    }

    /// <summary>
    /// Writes back every dirty block in Dinero's order: d4copyback pushes the blocks set by set from the most recently
    /// used down and then pops them, so the last set goes first and, within a set, the least recently used block.
    /// </summary>
    private void CopyBackAll()
    {
        var ways = cache.Ways;
        var ranks = rankBuffer;
        var addresses = addressBuffer;
        for (var set = cache.SlotCount / ways - 1; set >= 0; set--)
        {
            var n = 0;
            var first = set * ways;
            for (var slot = first; slot < first + ways; slot++)
            {
                if (cache.StateOf(slot) == LineState.Modified)
                {
                    ranks[n] = cache.Policy.RankOf(slot);
                    addresses[n] = cache.AddressOf(slot);
                    cache.SetState(slot, LineState.Exclusive);
                    n++;
                }
            }
            if (n == 0)
            {
                continue;
            }
            ranks.AsSpan(0, n).Sort(addresses.AsSpan(0, n));
            for (var i = 0; i < n; i++)
            {
                bytesWritten += blockSize;
                Send(addresses[i], blockSize, TraceOp.Write);
            }
        }
    }

    public override void Invalidate(ulong address, uint size, bool propagate)
    {
        if (size > 0)
        {
            var slot = cache.Find(address);
            if (slot >= 0)
            {
                cache.Invalidate(slot);
            }
        }
        else
        {
            cache.Clear();
        }
        if (propagate)
        {
            Downstream?.Invalidate(address, size, true);
        }
    }

    public override bool Holds(ulong address) => cache.Find(address) >= 0;

    public override bool HoldsDirty(ulong address)
    {
        var slot = cache.Find(address);
        return slot >= 0 && cache.StateOf(slot) == LineState.Modified;
    }

    public override void MarkClean(ulong address)
    {
        var slot = cache.Find(address);
        if (slot >= 0 && cache.StateOf(slot) == LineState.Modified)
        {
            cache.SetState(slot, LineState.Exclusive);
        }
    }
}
