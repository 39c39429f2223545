using Coherence.Kernel.Boot;
using Coherence.Kernel.Memregion;
using Coherence.Platform;
using Coherence.Platform.Cpus;

namespace Coherence.Kernel.Tests.Memregion;

public class CpuCacheX86Tests
{
    private static KernelModel Boot(MemregionPolicy policy, GuestKind guest = GuestKind.Host, int sockets = 2, int cores = 2) =>
        TestMachine.Boot(sockets, cores, guest, new KernelConfig { MemregionPolicy = policy });

    public static TheoryData<string> Calls => new() { "res_desc", "range", "all" };

    private static Errno Invoke(KernelModel k, string call) => call switch
    {
        "res_desc" => k.CpuCache.InvalidateMemregion(IoresDesc.Cxl),
        "range" => k.CpuCache.InvalidateMemregion(TestMachine.Cxl, 4096),
        _ => k.CpuCache.InvalidateAll(),
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void All_cpus_policy_wbinvds_every_online_cpu_in_cpu_order_and_returns_0(string call)
    {
        var k = Boot(MemregionPolicy.X86AllCpus);
        var m = k.Machine;
        for (var cpu = 0; cpu < 4; cpu++)
        {
            TestMachine.Dirty(m, cpu, TestMachine.Pmem + (ulong)cpu * 64, (byte)(0x10 + cpu));
        }
        Assert.True(k.CpuCache.HasInvalidateMemregion());
        Assert.Equal(Errno.Ok, Invoke(k, call));
        for (var cpu = 0; cpu < 4; cpu++)
        {
            var pa = TestMachine.Pmem + (ulong)cpu * 64;
            Assert.False(TestMachine.Cached(m, pa));
            Assert.Equal(0x10 + cpu, TestMachine.Media(m, pa));
        }
        Assert.Equal([(0, 1), (0, 2), (0, 3)], k.Events.Where(e => e.Kind == KernelEventKind.IpiSend).Select(e => (e.Cpu, e.TargetCpu)));
        var wbinvds = k.Events.Where(e => e.Kind == KernelEventKind.Wbinvd).ToList();
        Assert.Equal([0, 1, 2, 3], wbinvds.Select(e => e.Cpu));
        Assert.All(wbinvds, e => Assert.Equal(AccessOutcome.Ok, e.Outcome));
        Assert.Empty(k.Warnings);
    }

    [Fact]
    public void The_calling_cpu_runs_it_locally_and_ipis_the_others()
    {
        var k = Boot(MemregionPolicy.X86AllCpus);
        k.CurrentCpu = 2;
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateAll());
        Assert.Equal([0, 1, 3], k.Events.Where(e => e.Kind == KernelEventKind.IpiSend).Select(e => e.TargetCpu));
        Assert.All(k.Events.Where(e => e.Kind == KernelEventKind.IpiSend), e => Assert.Equal(2, e.Cpu));
        var local = Assert.Single(k.Events, e => e.Kind == KernelEventKind.IpiFunction && e.Detail.Contains("local", StringComparison.Ordinal));
        Assert.Equal(2, local.Cpu);
    }

    [Fact]
    public void Offline_cpus_get_no_ipi()
    {
        var k = Boot(MemregionPolicy.X86AllCpus);
        Assert.Equal(Errno.Ok, k.SetCpuOnline(3, false));
        var before = k.Events.Count;
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateAll());
        Assert.Equal([0, 1, 2], k.Events.Skip(before).Where(e => e.Kind == KernelEventKind.Wbinvd).Select(e => e.Cpu));
    }

    [Fact]
    public void Local_cpu_policy_leaves_other_cores_and_sockets_dirty()
    {
        var k = Boot(MemregionPolicy.X86LocalCpu);
        var m = k.Machine;
        TestMachine.Dirty(m, 0, TestMachine.Pmem, 0x11);
        TestMachine.Dirty(m, 1, TestMachine.Pmem + 64, 0x22);
        TestMachine.Dirty(m, 2, TestMachine.Pmem + 128, 0x33);
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateMemregion(IoresDesc.PersistentMemory));
        Assert.False(TestMachine.Cached(m, TestMachine.Pmem));
        Assert.True(TestMachine.Cached(m, TestMachine.Pmem + 64));
        Assert.True(TestMachine.Cached(m, TestMachine.Pmem + 128));
        Assert.Equal(0, TestMachine.Media(m, TestMachine.Pmem + 64));
        Assert.Equal([0], k.Events.Where(e => e.Kind == KernelEventKind.Wbinvd).Select(e => e.Cpu));
        Assert.DoesNotContain(k.Events, e => e.Kind == KernelEventKind.IpiSend);
    }

    [Fact]
    public void Stale_line_after_erase_survives_local_policy_but_not_all_cpus_policy()
    {
        foreach (var (policy, stale) in new[] { (MemregionPolicy.X86AllCpus, false), (MemregionPolicy.X86LocalCpu, true), (MemregionPolicy.None, true) })
        {
            var k = Boot(policy);
            var m = k.Machine;
            var b = new byte[1];
            Assert.Equal(AccessOutcome.Ok, m.X86[1].Load(TestMachine.Cxl, b));
            m.EraseDevice(m.Device("cxl0"), 0xEE);
            Assert.Equal(Errno.Ok, k.CpuCache.InvalidateMemregion(TestMachine.Cxl, 64));
            Assert.Equal(AccessOutcome.Ok, m.X86[1].Load(TestMachine.Cxl, b));
            Assert.Equal(stale, b[0] != 0xEE);
        }
    }

    [Theory]
    [InlineData(MemregionPolicy.X86AllCpus, GuestKind.KvmGuest)]
    [InlineData(MemregionPolicy.X86AllCpus, GuestKind.TdxGuest)]
    [InlineData(MemregionPolicy.X86LocalCpu, GuestKind.KvmGuest)]
    [InlineData(MemregionPolicy.None, GuestKind.TdxGuest)]
    public void In_a_guest_it_is_unavailable_warns_once_and_returns_enxio(MemregionPolicy policy, GuestKind guest)
    {
        var k = Boot(policy, guest);
        Assert.False(k.CpuCache.HasInvalidateMemregion());
        Assert.Equal(Errno.ENXIO, k.CpuCache.InvalidateMemregion(IoresDesc.Cxl));
        Assert.Equal(Errno.ENXIO, k.CpuCache.InvalidateMemregion(0, CpuCache.AllRegions));
        Assert.Equal(Errno.ENXIO, k.CpuCache.InvalidateAll());
        var w = Assert.Single(k.Warnings);
        Assert.Equal(KernelWarningKind.Warn, w.Kind);
        Assert.Equal("cpu_cache_invalidate_memregion", w.Function);
        Assert.Equal("arch/x86/mm/pat/set_memory.c", w.File);
        Assert.Equal("!cpu_cache_has_invalidate_memregion()", w.Condition);
        Assert.Single(k.Log, e => e == new KernelLogEntry(KernelLogLevel.Warning, "WARNING: CPU: 0 PID: 0 at arch/x86/mm/pat/set_memory.c cpu_cache_invalidate_memregion"));
        Assert.DoesNotContain(k.Events, e => e.Kind is KernelEventKind.Wbinvd or KernelEventKind.IpiSend or KernelEventKind.MemregionNoop);
    }

    [Fact]
    public void None_policy_returns_0_and_touches_no_cache()
    {
        var k = Boot(MemregionPolicy.None);
        TestMachine.Dirty(k.Machine, 0, TestMachine.Pmem);
        var step = k.Machine.Step;
        Assert.True(k.CpuCache.HasInvalidateMemregion());
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateAll());
        Assert.Equal(step, k.Machine.Step);
        Assert.True(TestMachine.Cached(k.Machine, TestMachine.Pmem));
        Assert.Single(k.Events, e => e.Kind == KernelEventKind.MemregionNoop);
    }

    [Fact]
    public void Unconfigured_policy_is_the_memregion_h_stub()
    {
        var k = Boot(MemregionPolicy.Unconfigured);
        Assert.False(k.CpuCache.HasInvalidateMemregion());
        Assert.Equal(Errno.ENXIO, k.CpuCache.InvalidateMemregion(IoresDesc.PersistentMemory));
        Assert.Equal(Errno.ENXIO, k.CpuCache.InvalidateAll());
        var w = Assert.Single(k.Warnings);
        Assert.Equal("include/linux/memregion.h", w.File);
        Assert.Equal("\"CPU cache invalidation required\"", w.Condition);
    }

    [Fact]
    public void Wbinvd_on_all_cpus_in_a_kvm_guest_is_trapped_and_recorded()
    {
        var k = Boot(MemregionPolicy.X86AllCpus, GuestKind.KvmGuest, sockets: 1);
        Assert.Equal(2, k.CpuCache.WbinvdOnAllCpus());
        Assert.All(k.Events.Where(e => e.Kind == KernelEventKind.Wbinvd), e => Assert.Equal(AccessOutcome.TrappedAndIgnored, e.Outcome));
    }

    [Fact]
    public void Iores_desc_values_are_ioport_h()
    {
        Assert.Equal(4, (int)IoresDesc.PersistentMemory);
        Assert.Equal(9, (int)IoresDesc.Cxl);
        Assert.Equal(8, (int)IoresDesc.SoftReserved);
    }
}
