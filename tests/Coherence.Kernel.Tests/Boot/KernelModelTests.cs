using Coherence.Kernel.Boot;
using Coherence.Platform;
using Coherence.Platform.Cpus;

namespace Coherence.Kernel.Tests.Boot;

public class KernelModelTests
{
    [Fact]
    public void Boot_brings_every_cpu_online_and_logs_it()
    {
        var k = TestMachine.Boot(sockets: 2, cores: 2);
        Assert.Equal([0, 1, 2, 3], k.OnlineCpus);
        Assert.Equal(SystemState.Running, k.SystemState);
        Assert.False(k.HypervisorDetected);
        Assert.Equal([new KernelLogEntry(KernelLogLevel.Info, "smp: Brought up 1 node, 4 CPUs")], k.Log);
        Assert.Empty(k.Warnings);
        Assert.Equal("", k.Taints);
    }

    [Theory]
    [InlineData(GuestKind.Host, false)]
    [InlineData(GuestKind.KvmGuest, true)]
    [InlineData(GuestKind.TdxGuest, true)]
    public void Hypervisor_is_detected_from_the_boot_cpus_cpuid_bit(GuestKind guest, bool expected)
    {
        var k = TestMachine.Boot(guest: guest);
        Assert.Equal(expected, k.HypervisorDetected);
        Assert.Equal(expected, k.Log.Contains(new KernelLogEntry(KernelLogLevel.Info, "Hypervisor detected: KVM")));
        Assert.Equal(guest == GuestKind.TdxGuest, k.Log.Contains(new KernelLogEntry(KernelLogLevel.Info, "tdx: Guest detected")));
    }

    [Fact]
    public void Early_init_runs_while_booting()
    {
        SystemState seen = SystemState.Running;
        var k = KernelModel.Boot(TestMachine.Create(), null, kk => seen = kk.SystemState);
        Assert.Equal(SystemState.Booting, seen);
        Assert.Equal(SystemState.Running, k.SystemState);
    }

    [Fact]
    public void Warn_on_once_reports_once_per_site_but_returns_the_condition_every_time()
    {
        var k = TestMachine.Boot();
        Assert.False(k.WarnOnOnce(false, "f", "a.c", "x"));
        Assert.True(k.WarnOnOnce(true, "f", "a.c", "x"));
        Assert.True(k.WarnOnOnce(true, "f", "a.c", "x"));
        Assert.True(k.WarnOnOnce(true, "g", "a.c", "x"));
        Assert.Equal(2, k.Warnings.Count);
        Assert.Equal(new KernelWarning(KernelWarningKind.Warn, "f", "a.c", "x", 0, k.Warnings[0].Sequence), k.Warnings[0]);
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Warning, "WARNING: CPU: 0 PID: 0 at a.c f"), k.Log);
        Assert.Equal("W", k.Taints);
    }

    [Fact]
    public void Warn_prints_its_message_every_time()
    {
        var k = TestMachine.Boot();
        k.Warn(true, "f", "a.c", "boom");
        k.Warn(true, "f", "a.c", "boom");
        Assert.Equal(2, k.Warnings.Count);
        Assert.Equal(2, k.Log.Count(e => e.Text == "boom"));
    }

    [Fact]
    public void Log_levels_have_the_kernel_numbers()
    {
        var k = TestMachine.Boot();
        k.PrErr("e");
        k.PrWarn("w");
        k.PrInfo("i");
        Assert.Equal(["<3>e", "<4>w", "<6>i"], k.Log.Skip(1).Select(e => e.ToString()));
    }

    [Fact]
    public void Offlining_a_cpu_writes_back_its_caches_and_the_last_cpu_cannot_go()
    {
        var k = TestMachine.Boot();
        TestMachine.Dirty(k.Machine, 1, TestMachine.Pmem, 0x5A);
        Assert.Equal(Errno.Ok, k.SetCpuOnline(1, false));
        Assert.False(TestMachine.Cached(k.Machine, TestMachine.Pmem));
        Assert.Equal(0x5A, TestMachine.Media(k.Machine, TestMachine.Pmem));
        Assert.Equal([0], k.OnlineCpus);
        Assert.Equal(Errno.EBUSY, k.SetCpuOnline(0, false));
        Assert.Equal(Errno.Ok, k.SetCpuOnline(1, false));
        Assert.Equal(Errno.Ok, k.SetCpuOnline(1, true));
        Assert.Equal([0, 1], k.OnlineCpus);
    }

    [Fact]
    public void Offlining_the_current_cpu_moves_kernel_code_and_an_offline_cpu_cannot_run_it()
    {
        var k = TestMachine.Boot();
        Assert.Equal(Errno.Ok, k.SetCpuOnline(0, false));
        Assert.Equal(1, k.CurrentCpu);
        Assert.Throws<ArgumentException>(() => k.CurrentCpu = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => k.IsOnline(7));
    }

    [Fact]
    public void Atomic_sections_nest()
    {
        var k = TestMachine.Boot();
        Assert.False(k.InAtomic);
        using (k.EnterAtomic())
        {
            using (k.EnterAtomic())
            {
                Assert.Equal(2, k.AtomicDepth);
            }
            Assert.True(k.InAtomic);
        }
        Assert.False(k.InAtomic);
    }

    [Fact]
    public void Errno_values_are_the_kernels()
    {
        Assert.Equal(-22, Errno.EINVAL.ToReturnValue());
        Assert.Equal(6, (int)Errno.ENXIO);
        Assert.Equal(17, (int)Errno.EEXIST);
        Assert.Equal(2, (int)Errno.ENOENT);
        Assert.Equal(95, (int)Errno.EOPNOTSUPP);
        Assert.Equal(11, (int)Errnos.EWOULDBLOCK);
        Assert.Equal(Errno.EBUSY, Errnos.FromReturnValue(-16));
        Assert.Equal("-ENXIO", Errno.ENXIO.ToKernelString());
        Assert.Equal("0", Errno.Ok.ToKernelString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Errnos.FromReturnValue(1));
    }

    [Fact]
    public void Events_carry_the_machine_step()
    {
        var k = TestMachine.Boot();
        k.SetCpuOnline(1, false);
        var w = Assert.Single(k.Events, e => e.Kind == KernelEventKind.Wbinvd);
        Assert.Equal(AccessOutcome.Ok, w.Outcome);
        Assert.Equal(1, w.Cpu);
        Assert.True(w.MachineStep > 0);
    }
}
