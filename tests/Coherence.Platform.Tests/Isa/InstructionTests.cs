using Coherence.Platform.Addressing;
using Coherence.Platform.Caches;
using Coherence.Platform.Choice;
using Coherence.Platform.Events;

namespace Coherence.Platform.Tests.Isa;

/// <summary>A chooser that never runs background actions: buffers drain only when an instruction forces them.</summary>
internal sealed class LazyChooser : IChooser
{
    public int Choose(ChoiceKind kind, int count, int defaultOption) => kind == ChoiceKind.Background ? 0 : defaultOption;
}

public class InstructionTests
{
    private const ulong X = TestPlatform.Pmem + 0x1000;
    private const ulong Y = TestPlatform.Pmem + 0x2000;

    [Fact]
    public void Store_buffer_forwards_to_own_loads_but_not_to_others()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        p.Write64(0, X, 1);
        Assert.Equal(1UL, p.Read64(0, X));
        Assert.Equal(0UL, p.Read64(1, X));
        Assert.Equal(1, p.Machine.Cpus[0].StoreBuffer.Count);
        p.Cpu(0).Mfence();
        Assert.Equal(1UL, p.Read64(1, X));
    }

    [Fact]
    public void Partial_forwarding_merges_buffered_bytes_over_cached_bytes()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        p.Write64(0, X, 0x1111111111111111);
        p.Cpu(0).Mfence();
        p.Cpu(0).StoreValue(X + 2, 2, 0xAAAA);
        Assert.Equal(0x11111111AAAA1111UL, p.Read64(0, X));
        Assert.Equal(0x1111111111111111UL, p.Read64(1, X));
    }

    [Fact]
    public void Nt_store_to_a_cached_dirty_line_writes_it_back_invalidates_then_merges()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 0x1111111111111111);          // dirty in cpu0 L1
        p.Cpu(1).StoreNonTemporal(X + 8, BitConverter.GetBytes(0x2222222222222222UL));
        Assert.Empty(p.Machine.WhereCached(X));
        Assert.Equal(0x1111111111111111UL, p.Media64(X));
        Assert.Equal(0x2222222222222222UL, p.Media64(X + 8));
    }

    [Fact]
    public void Nt_store_waits_in_a_wc_buffer_until_sfence()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        p.Cpu(0).StoreNonTemporal(X, BitConverter.GetBytes(5UL));
        Assert.Equal(0UL, p.Media64(X));
        Assert.True(p.Machine.Cpus[0].WcBuffers[0].InUse);
        Assert.Equal(5UL, p.Read64(0, X));            // own load drains the WC buffer for the line
        Assert.Equal(5UL, p.Media64(X));
        p.Cpu(0).StoreNonTemporal(Y, BitConverter.GetBytes(6UL));
        p.Cpu(0).Sfence();
        Assert.Equal(0UL, p.Media64(Y));              // SFENCE is still in the store buffer
        p.Cpu(0).Mfence();
        Assert.Equal(6UL, p.Media64(Y));
    }

    [Fact]
    public void Misaligned_movntdq_faults()
    {
        var p = new TestPlatform();
        Assert.Equal(AccessOutcome.AlignmentFault, p.Cpu(0).StoreNonTemporal(X + 8, new byte[16]));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Cpu(0).StoreNonTemporal(X, new byte[3]));
    }

    [Fact]
    public void Clflushopt_is_not_complete_before_sfence()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        p.Write64(0, X, 9);
        p.Cpu(0).Mfence();                            // store visible, dirty in L1
        p.Cpu(0).ClflushOpt(X);
        p.Machine.X86[0].Lfence();
        // still in the store buffer; then pending: not yet written back
        Assert.Equal(0UL, p.Media64(X));
        p.Cpu(0).Sfence();
        Assert.Equal(0UL, p.Media64(X));              // the SFENCE itself is buffered
        p.Write64(0, Y, 1);                           // a later store: the SFENCE must apply before it
        p.Cpu(0).Mfence();
        Assert.Equal(9UL, p.Media64(X));
        Assert.Empty(p.Machine.WhereCached(X));
    }

    [Fact]
    public void Pending_flush_completes_when_the_chooser_says()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        p.Write64(0, X, 9);
        p.Cpu(0).Clwb(X);
        var actions = p.Machine.BackgroundActions;
        Assert.Equal(BackgroundActionKind.DrainStoreBuffer, actions[0].Kind);
        p.Machine.Perform(actions[0]);                 // store visible
        p.Machine.Perform(p.Machine.BackgroundActions[0]); // CLWB leaves the buffer: pending
        var pending = Assert.Single(p.Machine.BackgroundActions);
        Assert.Equal(BackgroundActionKind.CompleteFlush, pending.Kind);
        Assert.Equal(0UL, p.Media64(X));
        p.Machine.Perform(pending);
        Assert.Equal(9UL, p.Media64(X));
        Assert.Equal(LineState.Shared, p.StateIn("cpu0.L1", X)); // CLWB kept it clean
    }

    [Fact]
    public void Clflush_is_ordered_with_earlier_stores()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        p.Write64(0, X, 3);
        p.Cpu(0).Clflush(X);
        Assert.Equal(2, p.Machine.Cpus[0].StoreBuffer.Count);
        p.Machine.Perform(p.Machine.BackgroundActions[0]);
        Assert.Equal(0UL, p.Media64(X));
        p.Machine.Perform(p.Machine.BackgroundActions[0]);
        Assert.Equal(3UL, p.Media64(X));
    }

    [Fact]
    public void Movdir64b_requires_alignment_and_changes_nothing_when_misaligned()
    {
        var p = new TestPlatform();
        var step = p.Machine.Step;
        var ex = Assert.Throws<ArgumentException>(() => p.Cpu(0).DirectStore64(X + 8, new byte[64]));
        Assert.Contains("0x100001008", ex.Message);
        Assert.Equal(step, p.Machine.Step);
        var line = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        p.Read64(1, X);
        Assert.Equal(AccessOutcome.Ok, p.Cpu(0).DirectStore64(X, line));
        Assert.Empty(p.Machine.WhereCached(X));
        var media = new byte[64];
        p.Machine.ReadMedia(X, media, default);
        Assert.Equal(line, media);
    }

    [Fact]
    public void Locked_rmw_is_atomic_and_fences()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        p.Write64(0, Y, 1);                      // buffered
        Assert.Equal(AccessOutcome.Ok, p.Cpu(0).LockedRmw(X, 8, Coherence.Platform.Isa.X86.LockedOp.Add, 5, out var old));
        Assert.Equal(0UL, old);
        Assert.Equal(0, p.Machine.Cpus[0].StoreBuffer.Count); // fence drained the older store
        Assert.Equal(1UL, p.Read64(1, Y));
        p.Cpu(1).LockedRmw(X, 8, Coherence.Platform.Isa.X86.LockedOp.CompareExchange, 100, out old, comparand: 5);
        Assert.Equal(5UL, old);
        Assert.Equal(100UL, p.Read64(0, X));
        p.Cpu(1).LockedRmw(X, 8, Coherence.Platform.Isa.X86.LockedOp.Exchange, 7, out old);
        Assert.Equal(100UL, old);
        Assert.Equal(7UL, p.Read64(0, X));
    }

    [Fact]
    public void Wbnoinvd_keeps_lines_clean()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 4);
        p.Cpu(0).Wbnoinvd();
        Assert.Equal(4UL, p.Media64(X));
        Assert.Equal(LineState.Shared, p.StateIn("cpu0.L1", X));
    }

    [Fact]
    public void Uncached_mapping_bypasses_the_cache_and_misses_a_dirty_alias()
    {
        var p = new TestPlatform();
        var space = new AddressSpace("alias");
        space.Map(0x7000_0000, X, 4096, MemoryType.Uncached);
        p.Machine.Cpus[1].AddressSpace = space;
        p.Write64(0, X, 0xAB);                        // dirty in cpu0's cache via the WB identity mapping
        Assert.Equal(0UL, p.Read64(1, 0x7000_0000));  // UC alias reads the device: loses coherence
        p.Write64(1, 0x7000_0008, 0xCD);              // UC store goes straight to the device
        Assert.Equal(0xCDUL, p.Media64(X + 8));
        Assert.DoesNotContain(p.Machine.WhereCached(X), c => c.Cache.StartsWith("cpu1", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_combining_mapping_gathers_and_drains_without_snooping()
    {
        var p = new TestPlatform(chooser: new LazyChooser());
        var space = new AddressSpace("wc");
        space.Map(0x7000_0000, X, 4096, MemoryType.WriteCombining);
        p.Machine.Cpus[1].AddressSpace = space;
        p.Read64(0, X);                               // cached clean in cpu0
        p.Write64(1, 0x7000_0000, 0x11);
        p.Write64(1, 0x7000_0008, 0x22);
        Assert.Equal(0UL, p.Media64(X));
        p.Cpu(1).Mfence();
        Assert.Equal(0x11UL, p.Media64(X));
        Assert.Equal(0x22UL, p.Media64(X + 8));
        Assert.Equal(0UL, p.Read64(0, X));            // cpu0's copy was not snooped: stale
    }

    [Fact]
    public void Write_through_updates_cache_and_device()
    {
        var p = new TestPlatform();
        var space = new AddressSpace("wt");
        space.Map(0x7000_0000, X, 4096, MemoryType.WriteThrough);
        p.Machine.Cpus[0].AddressSpace = space;
        p.Read64(0, 0x7000_0000);
        p.Write64(0, 0x7000_0000, 0x33);
        Assert.Equal(0x33UL, p.Media64(X));
        Assert.NotEqual(LineState.Modified, p.StateIn("cpu0.L1", X));
        Assert.Equal(0x33UL, p.Read64(0, 0x7000_0000));
    }

    [Fact]
    public void Unmapped_address_page_faults()
    {
        var p = new TestPlatform();
        var log = new EventLog();
        p.Machine.Observer = log;
        Assert.Equal(AccessOutcome.PageFault, p.Cpu(0).Load(0x9_0000_0000, new byte[8]));
        Assert.Equal(AccessOutcome.PageFault, p.Cpu(0).StoreValue(0x9_0000_0000, 8, 1));
        Assert.Contains(log.Events, e => e.Kind == EventKind.Fault && e.Address == 0x9_0000_0000);
    }

    [Fact]
    public void Guest_wbinvd_is_ignored_under_kvm_and_raises_ve_under_tdx()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 8);
        p.Machine.Cpus[0].Guest = Cpus.GuestKind.KvmGuest;
        Assert.True(p.Machine.Cpus[0].HypervisorBit);
        Assert.Equal(AccessOutcome.TrappedAndIgnored, p.Cpu(0).Wbinvd());
        Assert.Equal(LineState.Modified, p.StateIn("cpu0.L1", X));
        p.Machine.Cpus[0].Guest = Cpus.GuestKind.TdxGuest;
        Assert.Equal(AccessOutcome.VirtualizationException, p.Cpu(0).Wbinvd());
        p.Machine.Cpus[0].Guest = Cpus.GuestKind.KvmGuest;
        p.Machine.Cpus[0].WbinvdPassthrough = true;
        Assert.Equal(AccessOutcome.Ok, p.Cpu(0).Wbinvd());
        Assert.Equal(8UL, p.Media64(X));
    }

    [Fact]
    public void Access_crossing_a_line_is_split()
    {
        var p = new TestPlatform();
        p.Write64(0, X + 60, 0x0807060504030201);
        Assert.Equal(0x0807060504030201UL, p.Read64(1, X + 60));
        p.Cpu(0).Wbinvd();
        Assert.Equal(0x04030201UL, p.Media64(X + 56) >> 32);
        Assert.Equal(0x08070605UL, p.Media64(X + 64) & 0xFFFFFFFF);
    }
}
