using Coherence.Kernel.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;
using KernelLogLevel = Coherence.Kernel.Boot.KernelLogLevel;

namespace Coherence.Kernel.Tests.Nvdimm;

public class UnlockAndOverwriteTests
{
    private static NvdimmFixture LockedWithKey(NvdimmFlushPolicy policy = NvdimmFlushPolicy.V6_2)
    {
        var f = new NvdimmFixture(policy, DimmSetup.Locked);
        f.Bus.Keys.AddNvdimmKey(NvdimmFixture.DimmId, KeyRing.Passphrase("user"));
        return f;
    }

    [Fact]
    public void Probe_unlocks_with_the_key_named_after_the_dimm_and_marks_it_incoherent()
    {
        var f = LockedWithKey();
        Assert.True(f.Platform.NvdimmDevice.IsLocked);
        Assert.Equal(Errno.Ok, f.Dimm.Probe());
        Assert.False(f.Platform.NvdimmDevice.IsLocked);
        Assert.Equal(NvdimmSecurityFlags.Unlocked, f.Dimm.SecurityFlags);
        Assert.True(f.Dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
        Assert.Empty(f.Recording.Calls);
    }

    [Theory]
    [InlineData(NvdimmFlushPolicy.V5_0, false, 1)]
    [InlineData(NvdimmFlushPolicy.V6_2, true, 0)]
    [InlineData(NvdimmFlushPolicy.None, false, 0)]
    public void Unlock_flushes_or_flags_per_policy(NvdimmFlushPolicy policy, bool incoherent, int invalidations)
    {
        var f = LockedWithKey(policy);
        Assert.Equal(Errno.Ok, f.Dimm.Probe());
        Assert.Equal(incoherent, f.Dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
        Assert.Equal(invalidations, f.Recording.Calls.Count);
    }

    [Fact]
    public void Probe_without_a_key_tries_the_zero_key_and_logs_the_failure()
    {
        var f = new NvdimmFixture(setup: DimmSetup.Locked);
        Assert.Equal(Errno.EINVAL, f.Dimm.Probe());
        Assert.True(f.Bus.Log.Contains(KernelLogLevel.Debug, "request_key() found no key"));
        Assert.True(f.Bus.Log.Contains(KernelLogLevel.Debug, "failed to unlock dimm: -22"));
        Assert.True(f.Platform.NvdimmDevice.IsLocked);
        Assert.False(f.Dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
    }

    [Fact]
    public void Disabled_dimm_needs_no_unlock()
    {
        var f = new NvdimmFixture(setup: DimmSetup.Disabled);
        Assert.Equal(Errno.Ok, f.Dimm.Probe());
        Assert.False(f.Dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
    }

    [Theory]
    [InlineData(true, "user", Errno.Ok)]
    [InlineData(true, "wrong", Errno.EINVAL)]
    [InlineData(false, "wrong", Errno.Ok)]
    public void Pre_os_unlock_is_revalidated_without_marking_incoherent(bool revalidate, string key, Errno expected)
    {
        var f = new NvdimmFixture();
        f.Bus.KeyRevalidate = revalidate;
        f.Bus.Keys.AddNvdimmKey(NvdimmFixture.DimmId, KeyRing.Passphrase(key));
        Assert.Equal(expected, f.Dimm.Unlock());
        Assert.False(f.Dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
    }

    [Fact]
    public void Unlock_during_overwrite_is_busy()
    {
        var f = new NvdimmFixture(setup: DimmSetup.Overwrite);
        Assert.Equal(Errno.EBUSY, f.Dimm.Unlock());
    }

    [Fact]
    public void Power_cycle_relocks_a_dimm_with_a_passphrase_and_clears_freeze()
    {
        var f = new NvdimmFixture(setup: DimmSetup.Frozen);
        f.Platform.Machine.PowerFail();
        f.Firmware.PowerCycle();
        Assert.True(f.Platform.NvdimmDevice.IsLocked);
        var bus = new NvdimmBus(f.Recording, NvdimmFlushPolicy.V6_2, keys: f.Bus.Keys);
        bus.Keys.AddNvdimmKey(NvdimmFixture.DimmId, KeyRing.Passphrase("user"));
        var dimm = bus.AddDimm("nmem0", NvdimmFixture.DimmId, new IntelNvdimmSecurityOps(f.Firmware, bus));
        Assert.Equal(NvdimmSecurityFlags.Locked, dimm.SecurityFlags);
        Assert.Equal(Errno.Ok, dimm.Probe());
        Assert.Equal(NvdimmSecurityFlags.Unlocked, dimm.SecurityFlags);
        Assert.False(f.Platform.NvdimmDevice.IsLocked);
    }

    [Fact]
    public void Overwrite_query_backs_off_by_ten_seconds_and_settles_at_910()
    {
        var f = new NvdimmFixture();
        f.Firmware.OverwriteSeconds = 60_000;
        f.Firmware.OverwritePattern = 0xA5;
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"overwrite {f.U}"));
        Assert.Equal(2, f.Dimm.References);
        Assert.Equal(NvdimmDeviceFlags.Incoherent | NvdimmDeviceFlags.SecurityOverwrite | NvdimmDeviceFlags.WorkPending, f.Dimm.Flags);
        Assert.Equal(0L, f.Bus.Work.DueTime(f.Dimm.OverwriteWorkName));
        f.Bus.Work.RunUntilIdle();

        var times = f.Dimm.OverwriteQueryTimes;
        Assert.Equal(0, times[0]);
        var expected = new List<long>();
        for (var i = 1; i < times.Count; i++)
        {
            expected.Add(Math.Min(10L * i, 910));
        }
        var actual = new List<long>();
        for (var i = 1; i < times.Count; i++)
        {
            actual.Add(times[i] - times[i - 1]);
        }
        Assert.Equal(expected, actual);
        Assert.Contains(910L, actual);
        Assert.True(times[^1] >= 60_000);
        Assert.True(times[^2] < 60_000);

        Assert.Equal(0u, f.Dimm.OverwriteTimeout);
        Assert.Equal(NvdimmDeviceFlags.Incoherent, f.Dimm.Flags);
        Assert.Equal(1, f.Dimm.References);
        Assert.Equal(1, f.Dimm.OverwriteStateNotifications);
        Assert.Equal(NvdimmSecurityFlags.Disabled, f.Dimm.SecurityFlags);
        Assert.Equal(new byte[] { 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5, 0xA5 }, f.Platform.Media(KernelMachine.Pmem + 0x40));
        Assert.True(f.Bus.Log.Contains(KernelLogLevel.Debug, "overwrite completed"));
    }

    [Fact]
    public void Overwrite_timeout_is_stored_clamped_to_900()
    {
        var f = new NvdimmFixture();
        f.Firmware.OverwriteSeconds = 100_000;
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"overwrite {f.U}"));
        f.Bus.Work.AdvanceTo(50_000);
        Assert.Equal(900u, f.Dimm.OverwriteTimeout);
        Assert.Equal("overwrite\n", Show(f.Dimm));
    }

    [Fact]
    public void Overwrite_failures_map_per_intel_c()
    {
        var f = new NvdimmFixture();
        f.Firmware.OverwriteUnsupported = true;
        Assert.Equal(Errno.ENOTSUPP, f.Dimm.SecurityStore($"overwrite {f.U}"));
        Assert.Equal(Errno.EINVAL, new NvdimmFixture().Dimm.SecurityStore($"overwrite {f.N}"));
        Assert.Equal(NvdimmDeviceFlags.None, f.Dimm.Flags);
    }

    private static string Show(Coherence.Kernel.Nvdimm.Nvdimm d)
    {
        Assert.Equal(Errno.Ok, d.SecurityShow(out var t));
        return t;
    }
}
