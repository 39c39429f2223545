using System.Runtime.CompilerServices;
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
    private readonly SimCache? downstream;
    private readonly SimCache<TPolicy>? next;
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
        this.downstream = downstream;
        next = downstream as SimCache<TPolicy>;
        rankBuffer = new ulong[config.Associativity];
        addressBuffer = new ulong[config.Associativity];
    }

    public override void Reference(ulong address, uint size, TraceOp op) => Access(address, size, op);

    /// <summary>As <see cref="Reference"/>; the level above calls it directly (no virtual call, hit path inlined) when
    /// it has the same policy, as in the usual hierarchy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Access(ulong address, uint size, TraceOp op)
    {
        if (((address ^ (address + size - 1)) & ~blockMask) != 0)
        {
            ReferenceSplit(address, size, op);
            return;
        }
        var slot = cache.Find(address);
        if (slot >= 0)
        {
            // Hit: the common case, kept small. Dinero moves the block to the top of its LRU stack, and a write
            // dirties it (write back) or goes on to the next level (write through).
            fetches[(int)op]++;
            cache.Touch(slot);
            if (op == TraceOp.Write)
            {
                WriteHit(slot, address, size);
            }
            return;
        }
        Miss(address, size, op);
    }

    /// <summary>A reference that spans blocks: Dinero splits it at block boundaries and handles each piece in turn,
    /// each after the traffic the previous piece sent to the next level.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReferenceSplit(ulong address, uint size, TraceOp op)
    {
        while (true)
        {
            var blockAddress = address & ~blockMask;
            var split = ((address + size - 1) & ~blockMask) != blockAddress;
            var piece = split ? blockSize - (uint)(address & blockMask) : size;
            if (split)
            {
                multiBlock++;
            }
            var slot = cache.Find(address);
            if (slot >= 0)
            {
                fetches[(int)op]++;
                cache.Touch(slot);
                if (op == TraceOp.Write)
                {
                    WriteHit(slot, address, piece);
                }
            }
            else
            {
                Miss(address, piece, op);
            }
            if (!split)
            {
                return;
            }
            address = blockAddress + blockSize;
            size -= piece;
        }
    }

    private void WriteHit(int slot, ulong address, uint size)
    {
        if (writeBack != WriteBackKind.Never)
        {
            // Dinero's "nofetch" write-back asks whether every sub-block written is valid: with whole-block
            // sub-blocks that always holds on a hit, so it writes back like "always".
            cache.SetState(slot, LineState.Modified);
        }
        else
        {
            bytesWritten += size;
            Down(address, size, TraceOp.Write);
        }
    }

    /// <summary>
    /// A piece of a reference (within one block) whose block is absent. Dinero's order of what goes to the next
    /// level: the fetch of the block, then the write-through, then the write-back of the replaced dirty block.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Miss(ulong address, uint size, TraceOp op)
    {
        var kind = (int)op;
        fetches[kind]++;
        misses[kind]++;
        var isWrite = op == TraceOp.Write;
        var allocate = !isWrite || writeAllocate switch
        {
            WriteAllocateKind.Always => true,
            WriteAllocateKind.Never => false,
            _ => size == blockSize,
        };
        var dirtyVictim = false;
        ulong victimAddress = 0;
        var writeBackNow = false;
        if (allocate)
        {
            // "nofetch" write-back: the written sub-blocks were just marked valid, so a write miss writes back.
            writeBackNow = isWrite && writeBack != WriteBackKind.Never;
            cache.Replace(address, writeBackNow ? LineState.Modified : LineState.Exclusive, out victimAddress, out var victimState);
            dirtyVictim = victimState == LineState.Modified;
        }
        if (!isWrite || (allocate && size != blockSize))
        {
            bytesRead += blockSize;
            Down(address & ~blockMask, blockSize, isWrite ? TraceOp.Read : op);
        }
        if (isWrite && !writeBackNow)
        {
            bytesWritten += size;
            Down(address, size, TraceOp.Write);
        }
        if (dirtyVictim)
        {
            bytesWritten += blockSize;
            Down(victimAddress, blockSize, TraceOp.Write);
        }
    }

    /// <summary>Sends a reference to the next level: directly when it has the same policy, else through the virtual
    /// call; nothing when the next level is memory.</summary>
    private void Down(ulong address, uint size, TraceOp op)
    {
        if (next is not null)
        {
            next.Access(address, size, op);
        }
        else
        {
            downstream?.Reference(address, size, op);
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
                Down(cache.AddressOf(slot), blockSize, TraceOp.Write);
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
                Down(addresses[i], blockSize, TraceOp.Write);
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
