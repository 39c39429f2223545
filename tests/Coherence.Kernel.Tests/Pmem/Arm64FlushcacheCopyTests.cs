using Coherence.Kernel.Pmem;
using Coherence.Platform;
using Coherence.Platform.Devices;
using Coherence.Platform.Isa.Arm64;
using Coherence.Platform.Persistence;

namespace Coherence.Kernel.Tests.Pmem;

/// <summary>The arm64 flushcache copies on the modelled AArch64 CPU: memcpy, DC CVAP (or DC CVAC) per line, DSB.</summary>
public class Arm64FlushcacheCopyTests
{
    private const ulong Pmem = TestMachine.Pmem;

    /// <summary>An arm64 machine whose point of coherence is not persistent (persistence none: the write-pending
    /// queue is outside the domain), where nothing drains on its own.</summary>
    private static (Machine Machine, MemoryDevice Nvdimm) Arm64Machine(Arm64Features features = Arm64Features.All, PersistenceDomain domain = PersistenceDomain.None)
    {
        var m = TestMachine.CreateArm64(features, domain);
        return (m, m.Devices[0]);
    }

    [Theory]
    [InlineData(FlushcacheVariant.Arm64Cvap, Arm64Features.All, Arm64Instruction.DcCvap)]
    [InlineData(FlushcacheVariant.Arm64Cvap, Arm64Features.Fwb | Arm64Features.Dic, Arm64Instruction.DcCvac)]
    [InlineData(FlushcacheVariant.Arm64Cvac, Arm64Features.All, Arm64Instruction.DcCvac)]
    public void Dcache_clean_pop_is_dc_cvap_only_with_dcpop(FlushcacheVariant v, Arm64Features features, Arm64Instruction clean)
    {
        var (m, _) = Arm64Machine(features);
        Assert.Equal(clean, new Arm64FlushcacheCopier(m.Arm64[0], v).CleanInstruction);
    }

    [Theory]
    [InlineData(FlushcacheVariant.Arm64Cvap, Arm64Features.All, true)]
    [InlineData(FlushcacheVariant.Arm64Cvap, Arm64Features.Fwb, false)]
    [InlineData(FlushcacheVariant.Arm64Cvac, Arm64Features.All, false)]
    public void Memcpy_flushcache_leaves_no_dirty_line_and_reaches_the_media_only_with_cvap(FlushcacheVariant v, Arm64Features features, bool onMedia)
    {
        var (m, nv) = Arm64Machine(features);
        var c = new Arm64FlushcacheCopier(m.Arm64[0], v);
        c.MemcpyFlushcache(Pmem + 5, TestMachine.Bytes(130));
        Assert.Equal(AccessOutcome.Ok, c.Outcome);
        Assert.Equal(3 + 3 + 1, c.Instructions);                       // a store run per line, a clean per line, DSB
        Assert.False(TestMachine.AnyDirty(m, Pmem + 5, 130));
        Assert.Equal(onMedia, TestMachine.Media(m, Pmem + 5, 130).AsSpan().SequenceEqual(TestMachine.Bytes(130)));
        Assert.Equal(onMedia ? 0 : 3, nv.PendingLines);                // what DC CVAC left at the point of coherence
        m.PowerFail();
        Assert.Equal(onMedia, TestMachine.Media(m, Pmem + 5, 130).AsSpan().SequenceEqual(TestMachine.Bytes(130)));
    }

    [Fact]
    public void Under_adr_the_point_of_coherence_is_persistent_and_cvac_suffices()
    {
        var (m, _) = Arm64Machine(domain: PersistenceDomain.Adr);
        new Arm64FlushcacheCopier(m.Arm64[0], FlushcacheVariant.Arm64Cvac).MemcpyFlushcache(Pmem + 5, TestMachine.Bytes(13));
        m.PowerFail();
        Assert.Equal(TestMachine.Bytes(13), TestMachine.Media(m, Pmem + 5, 13));
    }

    [Theory]
    [InlineData(FlushcacheVariant.Memcpy)]
    [InlineData(FlushcacheVariant.NocacheFallback)]
    public void Without_arm64_pmem_the_copy_is_a_plain_memcpy(FlushcacheVariant v)
    {
        var (m, _) = Arm64Machine();
        var c = FlushcacheCopiers.For(m, 0, v);
        Assert.IsType<Arm64FlushcacheCopier>(c);
        c.MemcpyFlushcache(Pmem + 5, TestMachine.Bytes(13));
        Assert.True(TestMachine.AnyDirty(m, Pmem + 5, 13));
    }

    [Fact]
    public void The_user_copy_cleans_only_the_copied_prefix()
    {
        var (m, _) = Arm64Machine();
        var cpu = m.Arm64[0];
        Assert.Equal(AccessOutcome.Ok, cpu.Store(Pmem + 128, [0xEE]));            // a dirty line past the fault
        var c = new Arm64FlushcacheCopier(cpu, FlushcacheVariant.Arm64Cvap);
        var copied = c.CopyFromIter(Pmem + 40, IovIter.Single(IovIterKind.UserIovec, TestMachine.Bytes(100), faultAt: 50));
        Assert.Equal(50UL, copied);
        Assert.False(TestMachine.AnyDirty(m, Pmem + 40, 50));
        Assert.Equal(TestMachine.Bytes(50), TestMachine.Media(m, Pmem + 40, 50));
        Assert.True(TestMachine.AnyDirty(m, Pmem + 128, 1));                                  // [40, 140) would have cleaned it
    }

    [Fact]
    public void Kernel_segments_go_through_memcpy_flushcache()
    {
        var (m, _) = Arm64Machine();
        var c = new Arm64FlushcacheCopier(m.Arm64[0], FlushcacheVariant.Arm64Cvap);
        var iter = new IovIter(IovIterKind.Bvec, [new IovSegment(TestMachine.Bytes(10)), new IovSegment(TestMachine.Bytes(70))]);
        Assert.Equal(80UL, c.CopyFromIter(Pmem + 60, iter));
        Assert.False(TestMachine.AnyDirty(m, Pmem + 60, 80));
        Assert.Equal([.. TestMachine.Bytes(10), .. TestMachine.Bytes(70)], TestMachine.Media(m, Pmem + 60, 80));
        Assert.Equal(0UL, c.CopyFromIter(Pmem, new IovIter(IovIterKind.Kvec, [new IovSegment(TestMachine.Bytes(8))], DataSource: false)));
        Assert.Single(c.Warnings);
    }

    [Theory]
    [InlineData(FlushcacheVariant.Arm64Cvap, 0, true)]
    [InlineData(FlushcacheVariant.Arm64Cvac, 0, false)]
    [InlineData(FlushcacheVariant.Arm64Cvac, 1, true)]                          // a flush hint drains the queue
    public void Dax_write_and_fsync_survive_power_failure_with_cvap_or_a_flush_hint(FlushcacheVariant v, int hints, bool survives)
    {
        var (m, _) = Arm64Machine();
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), hints, v, pmemWmb: true);
        Assert.True(ns.Arm64);
        Assert.Empty(ns.Log);
        Assert.Equal(13, ns.DaxWrite(0, 5, IovIter.Single(IovIterKind.UserIovec, TestMachine.Bytes(13))).Result);
        var f = ns.Fsync(0);
        Assert.Equal([new DurableRange(Pmem + 5, 13)], f.Durable);
        m.PowerFail();
        Assert.Equal(survives, TestMachine.Media(m, Pmem + 5, 13).AsSpan().SequenceEqual(TestMachine.Bytes(13)));
    }

    [Theory]
    [InlineData(true, AccessOutcome.Ok)]
    [InlineData(false, AccessOutcome.MachineCheck)]
    public void Clearing_poison_invalidates_the_cached_line_with_dc_civac(bool invalidate, AccessOutcome later)
    {
        var (m, nv) = Arm64Machine(domain: PersistenceDomain.Adr);
        var cpu = m.Arm64[1];
        m.PoisonDeviceLine(nv, 0);
        Assert.Equal(AccessOutcome.MachineCheck, cpu.Load(Pmem + 0x20, new byte[8]));  // the poisoned line is now cached
        var ns = new PmemNamespace(m, "ns0", m.ResourceAt(Pmem), 1, FlushcacheVariant.Arm64Cvap, pmemWmb: true) { InvalidateAfterClearingPoison = invalidate };
        Assert.Equal(0, ns.SubmitBio(0, 0, TestMachine.Bytes(16), preflush: false, fua: true).Result);
        Assert.Equal(later, cpu.Load(Pmem + 0x20, new byte[8]));                  // bytes the write did not cover
    }
}
