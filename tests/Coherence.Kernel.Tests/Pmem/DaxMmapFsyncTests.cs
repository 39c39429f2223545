using Coherence.Kernel.Pmem;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Devices;
using Coherence.Platform.Events;
using Coherence.Platform.Isa.Arm64;
using Coherence.Platform.Isa.X86;
using Coherence.Platform.Persistence;

namespace Coherence.Kernel.Tests.Pmem;

/// <summary>Stores through a DAX mmap (pages tagged dirty) and fsync's dax_writeback_mapping_range → dax_flush.</summary>
public class DaxMmapFsyncTests
{
    private const ulong Pmem = TestMachine.Pmem;
    private const ulong Page = 4096;

    /// <summary>Counts the cache-maintenance instructions the machine sees.</summary>
    private sealed class Counter : IMachineObserver
    {
        public int Clwb { get; private set; }

        public int DcCvap { get; private set; }

        public int DcCvac { get; private set; }

        public void OnEvent(in MachineEvent e)
        {
            if (e.Kind == EventKind.FlushIssue && e.Detail == (long)X86Instruction.Clwb)
            {
                Clwb++;
            }
            else if (e.Kind == EventKind.Arm64Maintenance && Arm64Trace.InstructionOf(e) == Arm64Instruction.DcCvap)
            {
                DcCvap++;
            }
            else if (e.Kind == EventKind.Arm64Maintenance && Arm64Trace.InstructionOf(e) == Arm64Instruction.DcCvac)
            {
                DcCvac++;
            }
        }
    }

    private static Machine X86Machine(PersistenceDomain domain = PersistenceDomain.Adr)
    {
        var m = new Machine(new PlatformConfig
        {
            CoresPerSocket = 2,
            Persistence = domain,
            L1 = new CacheConfig(4096, 4),
            L2 = new CacheConfig(8192, 4),
            Llc = new CacheConfig(16384, 8),
        });
        var nv = m.AddDevice("nmem0", DeviceKind.Nvdimm, 1 << 20);
        m.AddResource("pmem0", Pmem, 1 << 20, ResourceKind.PersistentMemory, nv);
        return m;
    }

    /// <summary>An arm64 machine whose write-pending queue drains only when told to (persistence none: it is outside
    /// the domain).</summary>
    private static Machine Arm64Machine(bool dcpop) =>
        TestMachine.CreateArm64(dcpop ? Arm64Features.All : Arm64Features.Fwb | Arm64Features.Dic, PersistenceDomain.None);

    [Fact]
    public void Mmap_stores_are_cached_tag_every_page_they_touch_and_promise_nothing()
    {
        var m = X86Machine();
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), 1, FlushcacheVariant.X86, pmemWmb: true);
        var r = ns.DaxMmapStore(0, 0xff0, TestMachine.Bytes(48));
        Assert.Equal(48, r.Result);
        Assert.Empty(r.Durable);
        Assert.Equal([0UL, 1UL], ns.DirtyPages);
        Assert.Equal(48, ns.DaxMmapStore(0, 3 * Page + 8, TestMachine.Bytes(48)).Result);
        Assert.Equal(9, ns.DaxMmapStore(0, 0x10, TestMachine.Bytes(9)).Result);      // page 0 again: tagged once
        Assert.Equal([0UL, 1UL, 3UL], ns.DirtyPages);
        m.X86[0].Mfence();
        Assert.True(TestMachine.AnyDirty(m, Pmem + 0xff0, 48));                      // ordinary stores: dirty in the cache
        Assert.NotEqual(TestMachine.Bytes(48), TestMachine.Media(m, Pmem + 0xff0, 48));
    }

    [Theory]
    [InlineData(PersistenceDomain.Adr, true, 2 * 64)]
    [InlineData(PersistenceDomain.Adr, false, 0)]
    [InlineData(PersistenceDomain.Eadr, true, 0)]
    [InlineData(PersistenceDomain.Eadr, false, 0)]
    public void Fsync_writes_back_each_dirty_page_with_clwb_only_when_the_dax_device_has_a_write_cache(PersistenceDomain domain, bool setsWriteCache, int clwbs)
    {
        var m = X86Machine(domain);
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), 1, FlushcacheVariant.X86, pmemWmb: true) { SetsDaxWriteCache = setsWriteCache };
        Assert.Equal(domain == PersistenceDomain.Adr && setsWriteCache, ns.DaxWriteCache);
        ns.DaxMmapStore(0, 0xff0, TestMachine.Bytes(48));
        var counter = new Counter();
        m.Observer = counter;
        var f = ns.Fsync(0);
        Assert.Equal(clwbs, counter.Clwb);                               // a CLWB per line of each whole dirty page
        Assert.Equal(0, f.Result);
        Assert.Equal([new DurableRange(Pmem + 0xff0, 48)], f.Durable);
        Assert.Empty(ns.DirtyPages);                                     // the tags are cleared, flushed or not
        Assert.Equal(clwbs > 0, !TestMachine.AnyDirty(m, Pmem + 0xff0, 48));
        Assert.Equal(clwbs > 0, TestMachine.Media(m, Pmem + 0xff0, 48).AsSpan().SequenceEqual(TestMachine.Bytes(48)));
        m.PowerFail();
        // Under eADR the power failure flushes the caches: the record survives without dax_flush.
        Assert.Equal(clwbs > 0 || domain == PersistenceDomain.Eadr, TestMachine.Media(m, Pmem + 0xff0, 48).AsSpan().SequenceEqual(TestMachine.Bytes(48)));
    }

    [Fact]
    public void A_second_fsync_has_nothing_to_write_back_until_the_mapping_is_stored_to_again()
    {
        var m = X86Machine();
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), 1, FlushcacheVariant.X86, pmemWmb: true);
        ns.DaxMmapStore(0, 100, TestMachine.Bytes(8));
        ns.Fsync(0);
        var counter = new Counter();
        m.Observer = counter;
        var again = ns.Fsync(0);
        Assert.Equal(0, counter.Clwb);
        Assert.Empty(again.Durable);
        ns.DaxMmapStore(0, 2 * Page, TestMachine.Bytes(8, seed: 50));
        Assert.Equal([2UL], ns.DirtyPages);
        var third = ns.Fsync(0);
        Assert.Equal(64, counter.Clwb);
        Assert.Equal([new DurableRange(Pmem + (2 * Page), 8)], third.Durable);
    }

    [Fact]
    public void Fsync_promises_the_mmap_stores_and_the_writes_but_a_preflush_bio_only_the_writes()
    {
        var m = X86Machine();
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), 1, FlushcacheVariant.X86, pmemWmb: true);
        ns.DaxMmapStore(0, 0, TestMachine.Bytes(16));
        ns.DaxWrite(0, 200, IovIter.Single(IovIterKind.UserIovec, TestMachine.Bytes(13)));
        var counter = new Counter();
        m.Observer = counter;
        var bio = ns.SubmitBio(0, 0, [], preflush: true, fua: false);   // blkdev_issue_flush alone: no dax_flush
        Assert.Equal([new DurableRange(Pmem + 200, 13)], bio.Durable);
        Assert.Equal(0, counter.Clwb);
        Assert.Equal([0UL], ns.DirtyPages);
        ns.DaxWrite(0, 300, IovIter.Single(IovIterKind.Kvec, TestMachine.Bytes(5)));   // its own edges: two CLWBs
        counter = new Counter();
        m.Observer = counter;
        var f = ns.Fsync(0);
        Assert.Equal([new DurableRange(Pmem, 16), new DurableRange(Pmem + 300, 5)], f.Durable);
        Assert.Equal(64, counter.Clwb);
        Assert.Equal(TestMachine.Bytes(16), TestMachine.Media(m, Pmem, 16));
    }

    [Fact]
    public void A_store_beyond_the_file_is_refused_and_tags_nothing()
    {
        var m = X86Machine();
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), 1, FlushcacheVariant.X86, pmemWmb: true);
        var e = Assert.Throws<ArgumentException>(() => ns.DaxMmapStore(0, (1 << 20) - 4, TestMachine.Bytes(8)));
        Assert.Contains("SIGBUS", e.Message, StringComparison.Ordinal);
        Assert.Empty(ns.DirtyPages);
        Assert.Equal(4, ns.DaxMmapStore(0, (1 << 20) - 4, TestMachine.Bytes(4)).Result);   // the last bytes of the file
        Assert.Equal([255UL], ns.DirtyPages);
    }

    [Theory]
    [InlineData(true, 0, true, true)]     // DC CVAP reaches the point of persistence
    [InlineData(false, 0, true, false)]   // DC CVAC stops at the point of coherence, the volatile queue
    [InlineData(false, 1, true, true)]    // ... which the flush-hint write of nvdimm_flush drains
    [InlineData(true, 1, false, false)]   // no dax_flush: the record stays dirty in the cache
    public void Arm64_fsync_cleans_each_dirty_page_with_the_patched_dcache_clean_pop(bool dcpop, int hints, bool setsWriteCache, bool survives)
    {
        var m = Arm64Machine(dcpop);
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), hints, FlushcacheVariant.Arm64Cvap, pmemWmb: true) { SetsDaxWriteCache = setsWriteCache };
        Assert.Equal(13, ns.DaxMmapStore(1, 5, TestMachine.Bytes(13)).Result);
        Assert.True(TestMachine.AnyDirty(m, Pmem + 5, 13));
        var counter = new Counter();
        m.Observer = counter;
        var f = ns.Fsync(1);
        Assert.Equal([new DurableRange(Pmem + 5, 13)], f.Durable);
        Assert.Equal(setsWriteCache && dcpop ? 64 : 0, counter.DcCvap);
        Assert.Equal(setsWriteCache && !dcpop ? 64 : 0, counter.DcCvac);
        Assert.Equal(!setsWriteCache, TestMachine.AnyDirty(m, Pmem + 5, 13));
        m.PowerFail();
        Assert.Equal(survives, TestMachine.Media(m, Pmem + 5, 13).AsSpan().SequenceEqual(TestMachine.Bytes(13)));
    }

    [Fact]
    public void Without_arm64_pmem_dax_flush_is_empty()
    {
        var m = Arm64Machine(dcpop: true);
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), 1, FlushcacheVariant.Memcpy, pmemWmb: true);
        Assert.True(ns.Arm64);
        Assert.True(ns.DaxWriteCache);
        ns.DaxMmapStore(0, 5, TestMachine.Bytes(13));
        var counter = new Counter();
        m.Observer = counter;
        ns.Fsync(0);
        Assert.Equal((0, 0), (counter.DcCvap, counter.DcCvac));
        Assert.Empty(ns.DirtyPages);
        Assert.True(TestMachine.AnyDirty(m, Pmem + 5, 13));
    }
}
