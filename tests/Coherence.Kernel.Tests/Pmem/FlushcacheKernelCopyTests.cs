using Coherence.Kernel.Pmem;
using Coherence.Platform;
using Coherence.Platform.Persistence;

namespace Coherence.Kernel.Tests.Pmem;

/// <summary>The kernel's flushcache copies and the pmem driver on the modelled CPU.</summary>
public class FlushcacheKernelCopyTests
{
    private const ulong Pmem = TestMachine.Pmem;

    [Theory]
    [InlineData(FlushcacheVariant.X86, false)]
    [InlineData(FlushcacheVariant.Arm64Cvap, false)]
    [InlineData(FlushcacheVariant.NocacheFallback, true)]
    [InlineData(FlushcacheVariant.Memcpy, true)]
    public void Memcpy_flushcache_of_13_bytes_at_offset_5_leaves_dirty_lines_only_under_weak_variants(FlushcacheVariant v, bool dirty)
    {
        var m = TestMachine.Create();
        FlushcacheCopiers.For(m, 0, v).MemcpyFlushcache(Pmem + 5, TestMachine.Bytes(13));
        Assert.Equal(dirty, TestMachine.AnyDirty(m, Pmem + 5, 13));
    }

    [Fact]
    public void Constant_sizes_are_single_movnti_without_alignment_check()
    {
        var m = TestMachine.Create();
        var c = new FlushcacheCopier(m.X86[0], FlushcacheVariant.X86);
        c.MemcpyFlushcache(Pmem + 3, TestMachine.Bytes(16), constantSize: true);
        Assert.Equal(2, c.Instructions);
        Assert.False(TestMachine.AnyDirty(m, Pmem, 64));
        var seen = new byte[16];
        m.PeekCoherent(Pmem + 3, seen, new uint[16]);
        Assert.Equal(TestMachine.Bytes(16), seen);
    }

    [Theory]
    [InlineData(FlushcacheVariant.Arm64Cvap)]
    [InlineData(FlushcacheVariant.Arm64Cvac)]
    public void The_x86_copier_refuses_the_arm64_variants(FlushcacheVariant v)
    {
        var m = TestMachine.Create();
        var e = Assert.Throws<ArgumentException>(() => new FlushcacheCopier(m.X86[0], v));
        Assert.Contains("AArch64 CPU", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Arm64FlushcacheCopier(m.Arm64[0], FlushcacheVariant.X86));
    }

    [Theory]
    [InlineData(IovIterKind.UserIovec, FlushcacheVariant.X86, false)]
    [InlineData(IovIterKind.Kvec, FlushcacheVariant.X86, false)]
    [InlineData(IovIterKind.Bvec, FlushcacheVariant.X86, false)]
    [InlineData(IovIterKind.UserIovec, FlushcacheVariant.NocacheFallback, true)]
    [InlineData(IovIterKind.Kvec, FlushcacheVariant.NocacheFallback, true)]
    [InlineData(IovIterKind.Bvec, FlushcacheVariant.Memcpy, true)]
    public void Copy_from_iter_leaves_no_dirty_line_only_with_the_capability(IovIterKind kind, FlushcacheVariant v, bool dirty)
    {
        var m = TestMachine.Create();
        var copied = new FlushcacheCopier(m.X86[0], v).CopyFromIter(Pmem + 5, IovIter.Single(kind, TestMachine.Bytes(77)));
        Assert.Equal(77UL, copied);
        Assert.Equal(dirty, TestMachine.AnyDirty(m, Pmem + 5, 77));
    }

    [Fact]
    public void A_user_fault_half_way_returns_the_bytes_copied_and_still_repairs_the_edges()
    {
        var m = TestMachine.Create();
        var c = new FlushcacheCopier(m.X86[0], FlushcacheVariant.X86);
        var copied = c.CopyFromIter(Pmem + 5, IovIter.Single(IovIterKind.UserIovec, TestMachine.Bytes(100), faultAt: 50));
        Assert.Equal(50UL, copied);
        Assert.False(TestMachine.AnyDirty(m, Pmem, 128));
        var seen = new byte[100];
        m.PeekCoherent(Pmem + 5, seen, new uint[100]);
        Assert.Equal(TestMachine.Bytes(50), seen[..50]);
        Assert.All(seen[50..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_fault_in_the_second_user_segment_stops_the_iterator_there()
    {
        var m = TestMachine.Create();
        var c = new FlushcacheCopier(m.X86[0], FlushcacheVariant.X86);
        var iter = new IovIter(IovIterKind.UserIovec, [new IovSegment(TestMachine.Bytes(10)), new IovSegment(TestMachine.Bytes(30), FaultAt: 7), new IovSegment(TestMachine.Bytes(5))]);
        Assert.Equal(17UL, c.CopyFromIter(Pmem + 1, iter));
        Assert.False(TestMachine.AnyDirty(m, Pmem, 128));
        var seen = new byte[20];
        m.PeekCoherent(Pmem + 1, seen, new uint[20]);
        Assert.Equal([.. TestMachine.Bytes(10), .. TestMachine.Bytes(7), 0, 0, 0], seen);
    }

    [Fact]
    public void Copy_user_flushcache_skips_the_write_back_for_one_aligned_dword()
    {
        var m = TestMachine.Create();
        var c = new FlushcacheCopier(m.X86[0], FlushcacheVariant.X86);
        Assert.Equal(0UL, c.CopyUserFlushcache(Pmem + 8, new IovSegment(TestMachine.Bytes(4))));
        Assert.Equal(1, c.Instructions);
        Assert.Equal(0UL, c.CopyUserFlushcache(Pmem + 65, new IovSegment(TestMachine.Bytes(3))));
        Assert.Equal(3, c.Instructions);
    }

    [Fact]
    public void A_source_that_is_not_a_data_source_warns_and_copies_nothing()
    {
        var m = TestMachine.Create();
        var c = new FlushcacheCopier(m.X86[0], FlushcacheVariant.X86);
        Assert.Equal(0UL, c.CopyFromIter(Pmem, new IovIter(IovIterKind.Kvec, [new IovSegment(TestMachine.Bytes(8))], DataSource: false)));
        Assert.Single(c.Warnings);
    }

    [Theory]
    [InlineData(FlushcacheVariant.X86, true)]
    [InlineData(FlushcacheVariant.Memcpy, false)]
    public void Dax_write_then_fsync_puts_the_bytes_on_the_media_only_with_flushcache(FlushcacheVariant v, bool onMedia)
    {
        var m = TestMachine.Create();
        var ns = new PmemNamespace(m, "pmem0", m.ResourceAt(Pmem), 1, v, pmemWmb: true);
        var w = ns.DaxWrite(0, 5, IovIter.Single(IovIterKind.UserIovec, TestMachine.Bytes(13)));
        Assert.Equal(13, w.Result);
        var f = ns.Fsync(0);
        Assert.Equal(0, f.Result);
        Assert.Equal([new DurableRange(Pmem + 5, 13)], f.Durable);
        var media = new byte[13];
        m.ReadMedia(Pmem + 5, media, new uint[13]);
        Assert.Equal(onMedia, media.AsSpan().SequenceEqual(TestMachine.Bytes(13)));
    }

    [Fact]
    public void A_write_whose_user_buffer_faults_at_once_returns_efault()
    {
        var m = TestMachine.Create();
        var ns = new PmemNamespace(m, "pmem0", m.ResourceAt(Pmem), 1, FlushcacheVariant.X86, pmemWmb: true);
        Assert.Equal(-PmemNamespace.EFAULT, ns.DaxWrite(0, 0, IovIter.Single(IovIterKind.UserIovec, TestMachine.Bytes(8), faultAt: 0)).Result);
    }

    [Fact]
    public void Fua_bio_promises_its_own_data_and_preflush_the_earlier_writes()
    {
        var m = new Machine(new PlatformConfig { Persistence = PersistenceDomain.None });
        var nv = m.AddDevice("nmem0", Coherence.Platform.Devices.DeviceKind.Nvdimm, 1 << 20);
        var r = m.AddResource("pmem0", Pmem, 1 << 20, Coherence.Platform.Addressing.ResourceKind.PersistentMemory, nv);
        var ns = new PmemNamespace(m, "pmem0", r, 1, FlushcacheVariant.X86, pmemWmb: true);
        var a = ns.SubmitBio(0, 1, TestMachine.Bytes(64), preflush: false, fua: false);
        Assert.Empty(a.Durable);
        var b = ns.SubmitBio(0, 2, TestMachine.Bytes(32), preflush: true, fua: true);
        Assert.Equal([new DurableRange(Pmem + 512, 64), new DurableRange(Pmem + 1024, 32)], b.Durable);
        var media = new byte[32];
        m.ReadMedia(Pmem + 1024, media, new uint[32]);
        Assert.Equal(TestMachine.Bytes(32), media);
    }
}
