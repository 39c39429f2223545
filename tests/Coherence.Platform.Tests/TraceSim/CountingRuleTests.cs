using Coherence.Platform.TraceSim;

namespace Coherence.Platform.Tests.TraceSim;

/// <summary>One test per Dinero IV counting rule, on hand-made traces whose counts are worked out in the comments.</summary>
public class CountingRuleTests
{
    private static CacheLevelConfig Cache(long size, int block = 64, int assoc = 1, ReplacementKind repl = ReplacementKind.Lru,
        WriteAllocateKind walloc = WriteAllocateKind.Always, WriteBackKind wback = WriteBackKind.Always) => new()
        {
            SizeBytes = size,
            BlockSize = block,
            SubBlockSize = block,
            Associativity = assoc,
            Replacement = repl,
            WriteAllocate = walloc,
            WriteBack = wback,
        };

    /// <summary>A unified L1 over a unified L2 (or memory when <paramref name="l2"/> is null).</summary>
    private static TraceSimulator Unified(CacheLevelConfig l1, CacheLevelConfig? l2 = null)
    {
        var config = new CachesimConfig();
        config[1, CacheRole.Unified] = l1;
        if (l2 is not null)
        {
            config[2, CacheRole.Unified] = l2;
        }
        return new TraceSimulator(config);
    }

    private static TraceRecord R(ulong a, uint size = 4) => new(a, size, TraceOp.Read);

    private static TraceRecord W(ulong a, uint size = 4) => new(a, size, TraceOp.Write);

    private static TraceRecord I(ulong a) => new(a, 4, TraceOp.InstructionFetch);

    private static void Run(TraceSimulator sim, params TraceRecord[] records)
    {
        Assert.True(sim.Process(records));
        sim.Finish();
    }

    [Fact]
    public void Every_reference_is_a_demand_fetch_of_its_type_and_a_miss_when_its_block_is_absent()
    {
        var sim = Unified(Cache(1024));
        // 0x100 misses, 0x104 hits (same 64-byte block), 0x200 misses, instruction 0x100 hits, misc 0x140 misses.
        Run(sim, R(0x100), R(0x104), R(0x200), I(0x100), new TraceRecord(0x140, 4, TraceOp.Misc));
        var l1 = sim.Caches[0];
        Assert.Equal(3, l1.Fetches(TraceOp.Read));
        Assert.Equal(1, l1.Fetches(TraceOp.InstructionFetch));
        Assert.Equal(1, l1.Fetches(TraceOp.Misc));
        Assert.Equal(2, l1.Misses(TraceOp.Read));
        Assert.Equal(0, l1.Misses(TraceOp.InstructionFetch));
        Assert.Equal(1, l1.Misses(TraceOp.Misc));
        // Each miss fetches one whole block.
        Assert.Equal(3 * 64, l1.BytesRead);
        Assert.Equal(0, l1.BytesWritten);
    }

    [Fact]
    public void A_miss_fetches_the_block_from_the_next_level_as_a_read_even_for_a_write()
    {
        var sim = Unified(Cache(1024), Cache(8192));
        Run(sim, W(0x100), I(0x400));
        var l2 = sim.Caches[1];
        Assert.Equal(1, l2.Fetches(TraceOp.Read));
        Assert.Equal(1, l2.Fetches(TraceOp.InstructionFetch));
        // The dirty block is copied back at the end: one 64-byte write arrives at L2.
        Assert.Equal(1, l2.Fetches(TraceOp.Write));
        Assert.Equal(64, sim.Caches[0].BytesWritten);
    }

    [Fact]
    public void A_replaced_dirty_block_is_written_back_as_a_write_of_the_whole_block()
    {
        // Direct-mapped 1 KiB: 0x0 and 0x400 share set 0.
        var sim = Unified(Cache(1024), Cache(8192));
        Assert.True(sim.Process(new[] { W(0x0), R(0x400) }));
        var l1 = sim.Caches[0];
        var l2 = sim.Caches[1];
        Assert.Equal(64, l1.BytesWritten);
        Assert.Equal(1, l2.Fetches(TraceOp.Write));
        // The written-back block still sits in L2 (fetched there by the write miss), so the write-back hits.
        Assert.Equal(0, l2.Misses(TraceOp.Write));
        Assert.Equal(2, l2.Fetches(TraceOp.Read));
    }

    [Fact]
    public void Write_through_sends_every_write_and_never_dirties()
    {
        var sim = Unified(Cache(1024, wback: WriteBackKind.Never), Cache(8192));
        Run(sim, W(0x100, 8), W(0x100, 4), R(0x100));
        var l1 = sim.Caches[0];
        // First write misses: fetch the block (write-allocate), then write through 8 bytes; second write hits and
        // writes through 4 bytes; nothing is dirty at the end.
        Assert.Equal(12, l1.BytesWritten);
        Assert.Equal(64, l1.BytesRead);
        Assert.Equal(2, sim.Caches[1].Fetches(TraceOp.Write));
        Assert.Equal(1, sim.Caches[1].Fetches(TraceOp.Read));
    }

    [Fact]
    public void Without_write_allocate_a_write_miss_goes_around_and_the_next_read_misses()
    {
        var sim = Unified(Cache(1024, walloc: WriteAllocateKind.Never));
        Run(sim, W(0x100), R(0x100));
        var l1 = sim.Caches[0];
        Assert.Equal(1, l1.Misses(TraceOp.Write));
        Assert.Equal(1, l1.Misses(TraceOp.Read));
        // The write miss was not allocated, so it could not be written back: it went straight to memory.
        Assert.Equal(4, l1.BytesWritten);
        Assert.Equal(64, l1.BytesRead);
    }

    [Fact]
    public void A_write_of_a_whole_block_that_misses_fetches_nothing()
    {
        var sim = Unified(Cache(1024), Cache(8192));
        Run(sim, W(0x40, 64));
        var l1 = sim.Caches[0];
        Assert.Equal(1, l1.Misses(TraceOp.Write));
        Assert.Equal(0, l1.BytesRead);
        Assert.Equal(64, l1.BytesWritten);
        // At L2 the 64-byte write-back also covers a whole block: a write miss with nothing to fetch.
        Assert.Equal(1, sim.Caches[1].Misses(TraceOp.Write));
        Assert.Equal(0, sim.Caches[1].BytesRead);
    }

    [Fact]
    public void Write_allocate_nofetch_allocates_only_whole_block_writes()
    {
        var sim = Unified(Cache(1024, walloc: WriteAllocateKind.NoFetch));
        Run(sim, W(0x40, 64), W(0x100, 4), R(0x40), R(0x100));
        var l1 = sim.Caches[0];
        Assert.Equal(2, l1.Misses(TraceOp.Write));
        Assert.Equal(1, l1.Misses(TraceOp.Read)); // 0x40 was allocated, 0x100 was not
        Assert.Equal(64 + 4, l1.BytesWritten);     // the whole-block write at the end, the partial write at once
    }

    [Fact]
    public void A_reference_spanning_blocks_is_split_and_each_piece_counts()
    {
        var sim = Unified(Cache(1024));
        // 8 bytes at 0x3c cover 0x3c-0x43: blocks 0x0 and 0x40. 200 bytes at 0x80 cover blocks 0x80-0x140: 4 pieces.
        Run(sim, R(0x3c, 8), R(0x80, 200));
        var l1 = sim.Caches[0];
        Assert.Equal(1 + 3, l1.MultiBlockReferences);
        Assert.Equal(2 + 4, l1.Fetches(TraceOp.Read));
        Assert.Equal(6, l1.Misses(TraceOp.Read));
    }

    [Fact]
    public void Lru_evicts_the_least_recently_used_and_fifo_the_first_filled()
    {
        // 2-way, one set (128 bytes of 64-byte blocks): A B A C, then A again.
        var lru = Unified(Cache(128, assoc: 2));
        var fifo = Unified(Cache(128, assoc: 2, repl: ReplacementKind.Fifo));
        TraceRecord[] trace = [R(0x000), R(0x040), R(0x000), R(0x080), R(0x000)];
        Run(lru, trace);
        Run(fifo, trace);
        // LRU: C evicts B, so the last A hits (3 misses). FIFO: C evicts A (filled first), so it misses (4).
        Assert.Equal(3, lru.Caches[0].Misses(TraceOp.Read));
        Assert.Equal(4, fifo.Caches[0].Misses(TraceOp.Read));
    }

    [Fact]
    public void Copy_back_record_writes_the_dirty_block_and_keeps_it()
    {
        var sim = Unified(Cache(1024), Cache(8192));
        Run(sim, W(0x100), new TraceRecord(0x104, 4, TraceOp.CopyBack), R(0x100));
        var l1 = sim.Caches[0];
        Assert.Equal(0, l1.Misses(TraceOp.Read)); // still valid
        Assert.Equal(64, l1.BytesWritten);        // once, by the copy back; clean at the end
        Assert.Equal(0, l1.Fetches(TraceOp.Misc)); // a copy back is not a demand fetch
        // The copy back propagates: L2 writes its (now dirty) block to memory, and is clean at the end.
        Assert.Equal(64, sim.Caches[1].BytesWritten);
    }

    [Fact]
    public void Invalidate_record_discards_dirty_data_at_every_level()
    {
        var sim = Unified(Cache(1024), Cache(8192));
        Run(sim, W(0x100), new TraceRecord(0x100, 4, TraceOp.Invalidate), R(0x100));
        Assert.Equal(0, sim.Caches[0].BytesWritten);
        Assert.Equal(1, sim.Caches[0].Misses(TraceOp.Read));
        Assert.Equal(2, sim.Caches[1].Misses(TraceOp.Read)); // invalidated in L2 too
    }

    [Fact]
    public void The_end_of_the_run_copies_every_dirty_block_back_to_memory()
    {
        var sim = Unified(Cache(1024), Cache(8192));
        Run(sim, W(0x000), W(0x040), W(0x080));
        Assert.Equal(3 * 64, sim.Caches[0].BytesWritten);
        Assert.Equal(3, sim.Caches[1].Fetches(TraceOp.Write));
        Assert.Equal(3 * 64, sim.Caches[1].BytesWritten);
    }

    [Fact]
    public void Split_first_level_sends_instructions_and_data_down_their_own_paths()
    {
        var config = new CachesimConfig();
        config[1, CacheRole.Instruction] = Cache(1024);
        config[1, CacheRole.Data] = Cache(1024);
        config[2, CacheRole.Unified] = Cache(8192);
        var sim = new TraceSimulator(config);
        Run(sim, I(0x100), R(0x100), W(0x200));
        Assert.Equal(["l1-icache", "l1-dcache", "l2-ucache"], sim.Caches.Select(c => c.Name));
        Assert.Equal(1, sim.Caches[0].Fetches(TraceOp.InstructionFetch));
        Assert.Equal(0, sim.Caches[0].Fetches(TraceOp.Read));
        Assert.Equal(2, sim.Caches[1].Fetches(TraceOp.Read) + sim.Caches[1].Fetches(TraceOp.Write));
        Assert.Equal(1, sim.Caches[2].Fetches(TraceOp.InstructionFetch));
        Assert.Equal(2, sim.Caches[2].Fetches(TraceOp.Read));
        Assert.Equal(1, sim.Caches[2].Misses(TraceOp.InstructionFetch));
        Assert.Equal(1, sim.Caches[2].Misses(TraceOp.Read)); // 0x100 is already in L2 from the instruction fetch
    }

    [Fact]
    public void Flushcount_empties_the_caches_every_n_records()
    {
        var config = new CachesimConfig { FlushCount = 2 };
        config[1, CacheRole.Unified] = Cache(1024);
        var sim = new TraceSimulator(config);
        // R R | flush | R (misses again) W | flush (writes back) | R
        Run(sim, R(0x100), R(0x100), R(0x100), W(0x100), R(0x100));
        var l1 = sim.Caches[0];
        Assert.Equal(3, l1.Misses(TraceOp.Read));
        Assert.Equal(64, l1.BytesWritten);
    }

    [Fact]
    public void Maxcount_stops_when_a_record_arrives_after_the_limit()
    {
        var config = new CachesimConfig { MaxCount = 2 };
        config[1, CacheRole.Unified] = Cache(1024);
        var sim = new TraceSimulator(config);
        Assert.False(sim.Process(new[] { R(0x000), R(0x040), R(0x080) }));
        Assert.True(sim.MaxCountExceeded);
        Assert.Equal(2, sim.Caches[0].Fetches(TraceOp.Read));

        var exact = new TraceSimulator(config);
        Assert.True(exact.Process(new[] { R(0x000), R(0x040) }));
        Assert.False(exact.MaxCountExceeded);
    }

    [Fact]
    public void Skipcount_skips_the_first_records()
    {
        var config = new CachesimConfig { SkipCount = 2 };
        config[1, CacheRole.Unified] = Cache(1024);
        var sim = new TraceSimulator(config);
        Run(sim, W(0x000), W(0x040), R(0x080));
        Assert.Equal(0, sim.Caches[0].Fetches(TraceOp.Write));
        Assert.Equal(1, sim.Caches[0].Fetches(TraceOp.Read));
        Assert.Equal(0, sim.SkipRemaining);
    }

    [Fact]
    public void Trigger_addresses_switch_simulation_on_and_off_and_are_themselves_discarded()
    {
        var config = new CachesimConfig { OnTrigger = 0x1000, OffTrigger = 0x2000 };
        config[1, CacheRole.Unified] = Cache(1024);
        var sim = new TraceSimulator(config);
        Run(sim, R(0x40), R(0x1000), R(0x80), R(0xc0), R(0x2000), R(0x100));
        Assert.Equal(2, sim.Caches[0].Fetches(TraceOp.Read));
        Assert.True(sim.TriggerMatched);
    }

    [Fact]
    public void Whole_cache_copy_back_writes_the_last_set_first_and_the_least_recently_used_first()
    {
        // L1: 2 sets x 2 ways of 64 bytes. L2: one set of 2 ways, so the order the write-backs arrive decides
        // which of them L2 keeps. Dirty: set 0 holds 0x000 (older) and 0x080 (newer); set 1 holds 0x040.
        var sim = Unified(Cache(256, assoc: 2), Cache(128, assoc: 2));
        Assert.True(sim.Process(new[] { W(0x000), W(0x080), W(0x040) }));
        sim.Finish();
        // Dinero's order: set 1 (0x040), then set 0 LRU first (0x000, then 0x080). L2 ends holding 0x000 and 0x080.
        var l2 = sim.Caches[1];
        Assert.True(l2.Holds(0x000));
        Assert.True(l2.Holds(0x080));
        Assert.False(l2.Holds(0x040));
    }
}
