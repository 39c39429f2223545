using Coherence.Kernel.Boot;
using Coherence.Kernel.Memregion;
using Coherence.Platform.Cpus;

namespace Coherence.Kernel.Tests.Memregion;

public class RegistryTests
{
    private static KernelModel Boot(GuestKind guest = GuestKind.Host) =>
        TestMachine.Boot(1, 2, guest, new KernelConfig { MemregionPolicy = MemregionPolicy.Registry });

    private sealed class Recorder
    {
        public List<string> Calls { get; } = [];

        public CacheCoherencyOps Ops(string name, Errno wbinv = Errno.Ok, Errno? done = Errno.Ok) => new(
            (i, p) =>
            {
                Calls.Add($"{name}.wbinv({p.Address:x},{p.Size:x})");
                return wbinv;
            },
            done is { } d ? i =>
            {
                Calls.Add($"{name}.done");
                return d;
            }
        : null);
    }

    [Fact]
    public void Alloc_refuses_null_ops_or_null_wbinv()
    {
        var r = Boot().CpuCache.Registry;
        Assert.Null(r.Alloc(null, "a"));
        Assert.Null(r.Alloc(new CacheCoherencyOps(null, _ => Errno.Ok), "a"));
        var inst = r.Alloc(new CacheCoherencyOps((_, _) => Errno.Ok), "a");
        Assert.NotNull(inst);
        Assert.Equal(1, inst.RefCount);
        Assert.False(inst.IsRegistered);
    }

    [Fact]
    public void Empty_registry_has_nothing_and_invalidates_to_0_silently()
    {
        var k = Boot();
        Assert.False(k.CpuCache.HasInvalidateMemregion());
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateAll());
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateMemregion(IoresDesc.Cxl));
        Assert.Empty(k.Warnings);
    }

    [Fact]
    public void Register_adds_at_the_head_so_the_newest_is_called_first_then_every_done()
    {
        var k = Boot();
        var rec = new Recorder();
        var r = k.CpuCache.Registry;
        var a = r.Alloc(rec.Ops("a"), "a")!;
        var b = r.Alloc(rec.Ops("b", done: null), "b")!;
        var c = r.Alloc(rec.Ops("c"), "c")!;
        Assert.Equal(Errno.Ok, r.Register(a));
        Assert.Equal(Errno.Ok, r.Register(b));
        Assert.Equal(Errno.Ok, r.Register(c));
        Assert.Equal([c, b, a], r.Instances);
        Assert.True(k.CpuCache.HasInvalidateMemregion());
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateMemregion(0x1000, 0x2000));
        Assert.Equal(["c.wbinv(1000,2000)", "b.wbinv(1000,2000)", "a.wbinv(1000,2000)", "c.done", "a.done"], rec.Calls);
    }

    [Fact]
    public void The_first_nonzero_wbinv_is_returned_at_once_and_no_done_runs()
    {
        var k = Boot();
        var rec = new Recorder();
        var r = k.CpuCache.Registry;
        r.Register(r.Alloc(rec.Ops("a"), "a")!);
        r.Register(r.Alloc(rec.Ops("b", Errno.EIO), "b")!);
        r.Register(r.Alloc(rec.Ops("c"), "c")!);
        Assert.Equal(Errno.EIO, k.CpuCache.InvalidateAll());
        Assert.Equal(["c.wbinv(0,ffffffffffffffff)", "b.wbinv(0,ffffffffffffffff)"], rec.Calls);
    }

    [Fact]
    public void The_first_done_error_is_returned_and_later_dones_are_skipped()
    {
        var k = Boot();
        var rec = new Recorder();
        var r = k.CpuCache.Registry;
        r.Register(r.Alloc(rec.Ops("a"), "a")!);
        r.Register(r.Alloc(rec.Ops("b", done: Errno.ETIMEDOUT), "b")!);
        r.Register(r.Alloc(rec.Ops("c", done: Errno.EBUSY), "c")!);
        Assert.Equal(Errno.EBUSY, k.CpuCache.InvalidateAll());
        Assert.Equal(["c.wbinv(0,ffffffffffffffff)", "b.wbinv(0,ffffffffffffffff)", "a.wbinv(0,ffffffffffffffff)", "c.done"], rec.Calls);
    }

    [Fact]
    public void An_instance_whose_ops_were_cleared_gives_einval()
    {
        var k = Boot();
        var rec = new Recorder();
        var r = k.CpuCache.Registry;
        r.Register(r.Alloc(rec.Ops("a"), "a")!);
        var b = r.Alloc(rec.Ops("b"), "b")!;
        r.Register(b);
        b.Ops = null;
        Assert.Equal(Errno.EINVAL, k.CpuCache.InvalidateAll());
        Assert.Empty(rec.Calls);
    }

    [Fact]
    public void Unregister_removes_and_has_follows_the_list()
    {
        var k = Boot();
        var r = k.CpuCache.Registry;
        var a = r.Alloc(new Recorder().Ops("a"), "a")!;
        r.Register(a);
        r.Unregister(a);
        Assert.False(a.IsRegistered);
        Assert.False(k.CpuCache.HasInvalidateMemregion());
        Assert.Empty(k.Warnings);
    }

    [Fact]
    public void Double_register_and_absent_unregister_are_list_corruption_reports()
    {
        var k = Boot();
        var r = k.CpuCache.Registry;
        var a = r.Alloc(new Recorder().Ops("a"), "a")!;
        r.Register(a);
        r.Register(a);
        Assert.Single(r.Instances);
        r.Unregister(a);
        r.Unregister(a);
        Assert.Equal([KernelWarningKind.ListCorruption, KernelWarningKind.ListCorruption], k.Warnings.Select(w => w.Kind));
        Assert.StartsWith("list_add double add", k.Warnings[0].Condition, StringComparison.Ordinal);
        Assert.StartsWith("list_del corruption", k.Warnings[1].Condition, StringComparison.Ordinal);
    }

    [Fact]
    public void Kref_get_and_put_free_on_the_last_put()
    {
        var r = Boot().CpuCache.Registry;
        var a = r.Alloc(new Recorder().Ops("a"), "a")!;
        r.Get(a);
        Assert.False(r.Put(a));
        Assert.True(r.Put(a));
        Assert.True(a.IsFreed);
    }

    [Fact]
    public void Freeing_a_registered_instance_is_a_use_after_free_at_the_next_invalidation()
    {
        var k = Boot();
        var rec = new Recorder();
        var r = k.CpuCache.Registry;
        var a = r.Alloc(rec.Ops("a"), "a")!;
        r.Register(a);
        Assert.True(r.Put(a));
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateAll());
        Assert.Empty(rec.Calls);
        Assert.Equal(KernelWarningKind.UseAfterFree, Assert.Single(k.Warnings).Kind);
    }

    [Fact]
    public void Registering_from_a_provider_callback_deadlocks_on_the_rwsem()
    {
        var k = Boot();
        var r = k.CpuCache.Registry;
        var other = r.Alloc(new Recorder().Ops("other"), "other")!;
        var a = r.Alloc(new CacheCoherencyOps((_, _) => r.Register(other)), "a")!;
        r.Register(a);
        Assert.Throws<KernelHangException>(() => k.CpuCache.InvalidateAll());
        Assert.Equal(KernelWarningKind.Deadlock, Assert.Single(k.Warnings).Kind);
        r.Register(other);
        Assert.Equal(2, r.Instances.Count);
    }

    [Fact]
    public void In_a_guest_the_registry_has_what_was_registered()
    {
        var k = Boot(GuestKind.KvmGuest);
        Assert.False(k.CpuCache.HasInvalidateMemregion());
        Assert.Equal(Errno.Ok, k.CpuCache.InvalidateAll());
        Assert.Empty(k.Warnings);
    }

    [Theory]
    [InlineData(0x1000UL, 0x1000UL, 0x1000UL, 0x1000UL)]
    [InlineData(0x0UL, 0x1800UL, 0x1000UL, 0x800UL)]
    [InlineData(0x1800UL, 0x10000UL, 0x1800UL, 0x800UL)]
    [InlineData(0x3000UL, 0x1000UL, 0x3000UL, 0x0UL)]
    [InlineData(0x0UL, CpuCache.AllRegions, 0x1000UL, 0x1000UL)]
    public void Params_intersect_a_range(ulong addr, ulong size, ulong start, ulong length)
    {
        var (s, n) = new CacheInvalidateParams(addr, size).Intersect(0x1000, 0x1000);
        Assert.Equal(length, n);
        if (n > 0)
        {
            Assert.Equal(start, s);
        }
    }
}
