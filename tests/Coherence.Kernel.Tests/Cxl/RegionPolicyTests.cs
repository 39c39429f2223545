using Coherence.Kernel.Cxl;
using Coherence.Kernel.Tests.Nvdimm;
using Coherence.Platform;
using Coherence.Platform.Provenance;
using Errno = Coherence.Kernel.Boot.Errno;
using KernelLogEntry = Coherence.Kernel.Boot.KernelLogEntry;
using KernelLogLevel = Coherence.Kernel.Boot.KernelLogLevel;

namespace Coherence.Kernel.Tests.Cxl;

public class RegionPolicyTests
{
    [Fact]
    public void V6_5_invalidates_the_hpa_range_before_commit_and_before_reset()
    {
        var f = new CxlFixture();
        var r = f.Committed(f.Ep0);
        Assert.Equal([(KernelMachine.Cxl, KernelMachine.CxlSize)], f.Recording.Calls);
        Assert.Equal(Errno.Ok, r.Decommit());
        Assert.Equal(2, f.Recording.Calls.Count);
    }

    [Fact]
    public void V6_5_commit_in_a_vm_fails_with_enxio_and_a_warning()
    {
        var f = new CxlFixture();
        f.Recording.HasInvalidate = false;
        var r = f.NewRegion();
        Assert.Equal(Errno.Ok, r.AttachTarget(0, f.Ep0));
        Assert.Equal(Errno.ENXIO, r.Commit());
        Assert.Equal(CxlRegionState.Active, r.State);
        Assert.False(f.Ep0.IsCommitted);
        Assert.Contains(new KernelLogEntry(KernelLogLevel.Warning, "Failed to synchronize CPU cache state", "region0", true), f.Cxl.Log.Entries);
    }

    [Fact]
    public void V6_5_test_bypass_commits_with_one_info_message()
    {
        var f = new CxlFixture(new CxlRegionOptions { RegionInvalidationTest = true });
        f.Recording.HasInvalidate = false;
        var r = f.Committed(f.Ep0);
        Assert.Equal(Errno.Ok, r.Decommit());
        Assert.Equal(Errno.Ok, r.Commit());
        Assert.Single(f.Cxl.Log.Entries, e => e.Text == "Bypassing cpu_cache_invalidate_memregion() for testing!" && e.Level == KernelLogLevel.Info);
        Assert.Empty(f.Recording.Calls);
    }

    [Theory]
    [InlineData(true, Errno.Ok, CxlRegionState.Active)]
    [InlineData(false, Errno.ENXIO, CxlRegionState.Commit)]
    public void Reset_without_invalidation_warns_since_6_13_and_aborted_before(bool ignores, Errno expected, CxlRegionState state)
    {
        var f = new CxlFixture(new CxlRegionOptions { ResetIgnoresInvalidationFailure = ignores });
        var r = f.Committed(f.Ep0);
        f.Recording.HasInvalidate = false;
        Assert.Equal(expected, r.Decommit());
        Assert.Equal(state, r.State);
        Assert.Equal(!ignores, f.Ep0.IsCommitted);
        var entry = Assert.Single(f.Cxl.Log.Entries, e => e.Text == "Failed to synchronize CPU cache state");
        Assert.Equal(ignores ? KernelLogLevel.Warning : KernelLogLevel.Err, entry.Level);
        Assert.Equal(ignores, entry.IsWarnSplat);
    }

    [Fact]
    public void V6_2_flags_at_attach_and_flushes_at_probe_only_once()
    {
        var f = new CxlFixture(new CxlRegionOptions { Policy = CxlRegionPolicy.V6_2 });
        var r = f.NewRegion();
        Assert.Equal(Errno.Ok, r.AttachTarget(0, f.Ep0));
        Assert.True(r.Incoherent);
        Assert.Equal(Errno.Ok, r.Commit());
        Assert.Empty(f.Recording.Calls);
        Assert.Equal(Errno.Ok, r.Probe());
        Assert.Equal([(0UL, ulong.MaxValue)], f.Recording.Calls);
        Assert.False(r.Incoherent);
        // Decommit and recommit without re-attaching: nothing sets the flag again, so no flush (the v6.2 hole).
        Assert.Equal(Errno.Ok, r.Decommit());
        Assert.Equal(Errno.Ok, r.Commit());
        Assert.Equal(Errno.Ok, r.Probe());
        Assert.Single(f.Recording.Calls);
    }

    [Fact]
    public void V6_2_probe_in_a_vm_fails()
    {
        var f = new CxlFixture(new CxlRegionOptions { Policy = CxlRegionPolicy.V6_2 });
        f.Recording.HasInvalidate = false;
        var r = f.NewRegion();
        Assert.Equal(Errno.Ok, r.AttachTarget(0, f.Ep0));
        Assert.Equal(Errno.Ok, r.Commit());
        Assert.Equal(Errno.ENXIO, r.Probe());
        Assert.False(r.IsBound);
        Assert.True(f.Cxl.Log.Contains(KernelLogLevel.Err, "Failed to synchronize CPU cache state"));
    }

    [Fact]
    public void None_never_invalidates()
    {
        var f = new CxlFixture(new CxlRegionOptions { Policy = CxlRegionPolicy.None });
        f.Recording.HasInvalidate = false;
        var r = f.Committed(f.Ep0);
        Assert.Equal(Errno.Ok, f.Repoint(r, f.Ep1));
        Assert.Empty(f.Recording.Calls);
    }

    private const ulong X = KernelMachine.Cxl + 0x1000;

    [Theory]
    [InlineData(CxlRegionPolicy.None, true)]
    [InlineData(CxlRegionPolicy.V6_5, false)]
    public void Clean_lines_of_the_old_device_are_stale_after_repointing(CxlRegionPolicy policy, bool stale)
    {
        var f = new CxlFixture(new CxlRegionOptions { Policy = policy }, realInvalidation: true);
        var r = f.Committed(f.Ep0);
        f.Platform.Machine.DeviceWrite(X, "DEVICE-A"u8, "a");
        Assert.Equal("DEVICE-A"u8.ToArray(), f.Platform.Load(0, X).Data);
        Assert.Equal(Errno.Ok, f.Repoint(r, f.Ep1));
        Assert.Same(f.Platform.Cxl1, f.Platform.Machine.ResourceAt(X).Device);
        var (data, origins, outcome) = f.Platform.Load(0, X);
        Assert.Equal(AccessOutcome.Ok, outcome);
        if (stale)
        {
            Assert.Equal("DEVICE-A"u8.ToArray(), data);
            Assert.Equal(f.Platform.Cxl0.Index, origins[0].Device);
        }
        else
        {
            Assert.Equal(new byte[8], data);
            Assert.Equal(OriginKind.Initial, origins[0].Kind);
            Assert.Equal(f.Platform.Cxl1.Index, origins[0].Device);
        }
    }

    [Theory]
    [InlineData(CxlRegionPolicy.None, true)]
    [InlineData(CxlRegionPolicy.V6_5, false)]
    public void Dirty_lines_of_the_old_mapping_are_written_into_the_new_device(CxlRegionPolicy policy, bool corrupted)
    {
        var f = new CxlFixture(new CxlRegionOptions { Policy = policy }, realInvalidation: true);
        var r = f.Committed(f.Ep0);
        f.Platform.Store(1, X, "TENANT-A"u8.ToArray(), "a");
        Assert.Equal(Errno.Ok, f.Repoint(r, f.Ep1));
        Assert.Equal(AccessOutcome.Ok, f.Platform.Machine.X86[1].Wbinvd());
        var onB = f.Platform.DeviceMedia(f.Platform.Cxl1, 0x1000);
        var onA = f.Platform.DeviceMedia(f.Platform.Cxl0, 0x1000);
        Assert.Equal(corrupted ? "TENANT-A"u8.ToArray() : new byte[8], onB);
        Assert.Equal(corrupted ? new byte[8] : "TENANT-A"u8.ToArray(), onA);
    }

    [Fact]
    public void Sanitized_device_is_flushed_at_the_next_commit()
    {
        var f = new CxlFixture(realInvalidation: true);
        var r = f.Committed(f.Ep0);
        f.Platform.Store(0, X, "SECRET!!"u8.ToArray(), "a");
        Assert.Equal(Errno.Ok, r.Decommit());
        Assert.Equal(Errno.Ok, f.Mem0.Sanitize(CxlMboxOpcode.SecureErase));
        Assert.Equal(new byte[8], f.Platform.DeviceMedia(f.Platform.Cxl0, 0x1000));
        Assert.Equal(Errno.Ok, r.Commit());
        Assert.Equal(new byte[8], f.Platform.Load(0, X).Data);
    }
}
