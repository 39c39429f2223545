using Coherence.Kernel.Boot;
using Coherence.Kernel.Memregion;

namespace Coherence.Kernel.Tests.Memregion;

public class PhysicalRangeCacheProviderTests
{
    private static KernelModel Boot() => TestMachine.Boot(2, 2, config: new KernelConfig { MemregionPolicy = MemregionPolicy.Registry });

    [Fact]
    public void Cleans_and_invalidates_the_requested_part_of_its_range_in_every_cache()
    {
        var k = Boot();
        var m = k.Machine;
        var p = PhysicalRangeCacheProvider.Create(k, "hha0", TestMachine.Cxl, 1 << 20, serviceCpu: 0);
        Assert.Equal(Errno.Ok, k.CpuCache.Registry.Register(p));
        TestMachine.Dirty(m, 1, TestMachine.Cxl, 0x11);
        TestMachine.Dirty(m, 3, TestMachine.Cxl + 0x1000, 0x33);
        TestMachine.Dirty(m, 2, TestMachine.Pmem, 0x44);
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateMemregion(TestMachine.Cxl, 0x1000));
        Assert.False(TestMachine.Cached(m, TestMachine.Cxl));
        Assert.Equal(0x11, TestMachine.Media(m, TestMachine.Cxl));
        Assert.True(TestMachine.Cached(m, TestMachine.Cxl + 0x1000));
        Assert.True(TestMachine.Cached(m, TestMachine.Pmem));
        Assert.Equal(1, p.LinesFlushed);
        Assert.Equal([KernelEventKind.ProviderWbinv, KernelEventKind.ProviderDone],
            k.Events.Where(e => e.Kind is KernelEventKind.ProviderWbinv or KernelEventKind.ProviderDone).Select(e => e.Kind));
    }

    [Fact]
    public void All_regions_flushes_its_whole_range_and_nothing_else()
    {
        var k = Boot();
        var m = k.Machine;
        var p = PhysicalRangeCacheProvider.Create(k, "hha0", TestMachine.Cxl, 1 << 20);
        k.CpuCache.Registry.Register(p);
        TestMachine.Dirty(m, 1, TestMachine.Cxl, 0x11);
        TestMachine.Dirty(m, 3, TestMachine.Cxl + 0x8000, 0x33);
        TestMachine.Dirty(m, 2, TestMachine.Pmem, 0x44);
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateAll());
        Assert.False(TestMachine.Cached(m, TestMachine.Cxl));
        Assert.False(TestMachine.Cached(m, TestMachine.Cxl + 0x8000));
        Assert.Equal(0x33, TestMachine.Media(m, TestMachine.Cxl + 0x8000));
        Assert.True(TestMachine.Cached(m, TestMachine.Pmem));
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateMemregion(IoresDesc.Cxl));
    }

    [Fact]
    public void A_request_outside_the_range_is_a_nop()
    {
        var k = Boot();
        var p = PhysicalRangeCacheProvider.Create(k, "hha0", TestMachine.Cxl, 1 << 20);
        k.CpuCache.Registry.Register(p);
        TestMachine.Dirty(k.Machine, 0, TestMachine.Pmem);
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateMemregion(TestMachine.Pmem, 4096));
        Assert.Equal(1, p.RequestsIgnored);
        Assert.True(TestMachine.Cached(k.Machine, TestMachine.Pmem));
    }

    [Fact]
    public void Two_providers_each_serve_their_own_range()
    {
        var k = Boot();
        var m = k.Machine;
        var a = PhysicalRangeCacheProvider.Create(k, "hha0", TestMachine.Pmem, 1 << 20);
        var b = PhysicalRangeCacheProvider.Create(k, "hha1", TestMachine.Cxl, 1 << 20, serviceCpu: 2);
        k.CpuCache.Registry.Register(a);
        k.CpuCache.Registry.Register(b);
        TestMachine.Dirty(m, 0, TestMachine.Pmem);
        TestMachine.Dirty(m, 3, TestMachine.Cxl);
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateAll());
        Assert.False(TestMachine.Cached(m, TestMachine.Pmem));
        Assert.False(TestMachine.Cached(m, TestMachine.Cxl));
        Assert.Equal(["hha1", "hha0"], k.Events.Where(e => e.Kind == KernelEventKind.ProviderWbinv).Select(e => e.Detail.Split(' ')[0]));
    }

    [Fact]
    public void Bad_ranges_are_refused()
    {
        var k = Boot();
        Assert.Throws<ArgumentException>(() => PhysicalRangeCacheProvider.Create(k, "x", 1, 64));
        Assert.Throws<ArgumentException>(() => PhysicalRangeCacheProvider.Create(k, "x", 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PhysicalRangeCacheProvider.Create(k, "x", 0, 64, serviceCpu: 9));
    }
}
