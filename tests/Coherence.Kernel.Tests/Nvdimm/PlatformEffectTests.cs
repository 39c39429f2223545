using Coherence.Kernel.Nvdimm;
using Coherence.Platform;
using Coherence.Platform.Caches;
using Coherence.Platform.Devices;
using Coherence.Platform.Provenance;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Nvdimm;

/// <summary>
/// What the flush policies mean for the bytes a CPU reads: a real machine, a CPU load that caches a line, the sysfs
/// command, and the load again. The invalidator runs WBINVD on every CPU.
/// </summary>
public class PlatformEffectTests
{
    private const ulong Address = KernelMachine.Pmem + 0x100;
    private static readonly byte[] Secret = "SECRET!!"u8.ToArray();

    private static NvdimmFixture CachedSecret(NvdimmFlushPolicy policy)
    {
        var f = new NvdimmFixture(policy, realInvalidation: true);
        f.Platform.Store(0, Address, Secret, "tenant-a");
        Assert.Equal(AccessOutcome.Ok, f.Platform.Machine.X86[0].Wbinvd());
        var (data, origins, outcome) = f.Platform.Load(0, Address);
        Assert.Equal(AccessOutcome.Ok, outcome);
        Assert.Equal(Secret, data);
        Assert.Equal(OriginKind.Store, origins[0].Kind);
        Assert.NotEmpty(f.Platform.Machine.WhereCached(Address));
        return f;
    }

    [Fact]
    public void No_flush_erase_leaves_the_secret_readable_from_the_cache()
    {
        var f = CachedSecret(NvdimmFlushPolicy.None);
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"erase {f.U}"));
        Assert.Equal(new byte[8], f.Platform.Media(Address));
        var (data, origins, _) = f.Platform.Load(0, Address);
        Assert.Equal(Secret, data);
        Assert.Equal(OriginKind.Store, origins[0].Kind);
        Assert.Equal(Errno.Ok, f.Region.Probe());
        Assert.Equal(Secret, f.Platform.Load(0, Address).Data);
    }

    [Fact]
    public void V5_0_erase_invalidates_so_the_load_sees_erased_media()
    {
        var f = CachedSecret(NvdimmFlushPolicy.V5_0);
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"erase {f.U}"));
        var (data, origins, _) = f.Platform.Load(0, Address);
        Assert.Equal(new byte[8], data);
        Assert.Equal(OriginKind.Erase, origins[0].Kind);
        Assert.Equal(f.Platform.NvdimmDevice.Index, origins[0].Device);
    }

    [Fact]
    public void V6_2_erase_is_stale_until_region_activate_flushes()
    {
        var f = CachedSecret(NvdimmFlushPolicy.V6_2);
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"erase {f.U}"));
        Assert.Equal(Secret, f.Platform.Load(0, Address).Data);
        Assert.Equal(Errno.Ok, f.Region.Probe());
        var (data, origins, _) = f.Platform.Load(0, Address);
        Assert.Equal(new byte[8], data);
        Assert.Equal(OriginKind.Erase, origins[0].Kind);
    }

    [Theory]
    [InlineData(NvdimmFlushPolicy.None, true)]
    [InlineData(NvdimmFlushPolicy.V5_0, false)]
    [InlineData(NvdimmFlushPolicy.V6_2, false)]
    public void A_dirty_line_from_before_erase_is_resurrected_only_without_flushes(NvdimmFlushPolicy policy, bool resurrected)
    {
        var f = new NvdimmFixture(policy, realInvalidation: true);
        Assert.Equal(Errno.Ok, f.Region.Probe());
        f.Platform.Store(1, Address, Secret, "tenant-a");
        Assert.Contains(f.Platform.Machine.WhereCached(Address), c => c.State.IsDirty());
        f.Region.Remove();
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"erase {f.U}"));
        // Later, the line is evicted: WBINVD on the CPU that holds it.
        Assert.Equal(AccessOutcome.Ok, f.Platform.Machine.X86[1].Wbinvd());
        var media = new byte[8];
        var origins = new uint[8];
        f.Platform.Machine.ReadMedia(Address, media, origins);
        Assert.Equal(resurrected ? Secret : new byte[8], media);
        Assert.Equal(resurrected ? OriginKind.Store : OriginKind.Erase, f.Platform.Machine.Origins[origins[0]].Kind);
    }

    private static (NvdimmFixture F, Coherence.Kernel.Nvdimm.Nvdimm Dimm, NdRegion Region) LockedWithCachedAllOnes(NvdimmFlushPolicy policy)
    {
        var f = new NvdimmFixture(policy, lockedReadMode: LockedReadMode.AllOnes, realInvalidation: true);
        f.Platform.Machine.DeviceWrite(Address, "PAYLOAD!"u8, "tenant-a");
        f.Firmware.PowerCycle();
        f.Bus.Keys.AddNvdimmKey(NvdimmFixture.DimmId, KeyRing.Passphrase("user"));
        var dimm = f.Bus.AddDimm("nmem1", NvdimmFixture.DimmId, f.Ops);
        var region = f.Bus.AddRegion("region1", KernelMachine.Pmem, KernelMachine.PmemSize, dimm);
        Assert.Equal(NvdimmSecurityFlags.Locked, dimm.SecurityFlags);
        // An early probe or a speculative read caches what the locked DIMM answers.
        var (data, origins, outcome) = f.Platform.Load(0, Address);
        Assert.Equal(AccessOutcome.Ok, outcome);
        Assert.All(data, b => Assert.Equal(0xFF, b));
        Assert.Equal(OriginKind.LockedAllOnes, origins[0].Kind);
        Assert.Equal(Errno.Ok, dimm.Probe());
        Assert.False(f.Platform.NvdimmDevice.IsLocked);
        return (f, dimm, region);
    }

    [Fact]
    public void No_flush_unlock_keeps_the_locked_all_ones_cached()
    {
        var (f, _, region) = LockedWithCachedAllOnes(NvdimmFlushPolicy.None);
        Assert.Equal(Errno.Ok, region.Probe());
        var (data, origins, _) = f.Platform.Load(0, Address);
        Assert.All(data, b => Assert.Equal(0xFF, b));
        Assert.Equal(OriginKind.LockedAllOnes, origins[0].Kind);
    }

    [Fact]
    public void V5_0_unlock_invalidates_at_once()
    {
        var (f, _, _) = LockedWithCachedAllOnes(NvdimmFlushPolicy.V5_0);
        var (data, origins, _) = f.Platform.Load(0, Address);
        Assert.Equal("PAYLOAD!"u8.ToArray(), data);
        Assert.Equal(OriginKind.DeviceWrite, origins[0].Kind);
    }

    [Fact]
    public void V6_2_unlock_is_fixed_by_region_activate()
    {
        var (f, dimm, region) = LockedWithCachedAllOnes(NvdimmFlushPolicy.V6_2);
        Assert.True(dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
        Assert.All(f.Platform.Load(0, Address).Data, b => Assert.Equal(0xFF, b));
        Assert.Equal(Errno.Ok, region.Probe());
        Assert.Equal("PAYLOAD!"u8.ToArray(), f.Platform.Load(0, Address).Data);
    }

    [Theory]
    [InlineData(NvdimmFlushPolicy.None, false)]
    [InlineData(NvdimmFlushPolicy.V5_0, true)]
    public void Overwrite_completion_flush_decides_what_the_cached_line_reads(NvdimmFlushPolicy policy, bool seesPattern)
    {
        var f = CachedSecret(policy);
        f.Firmware.OverwriteSeconds = 30;
        f.Firmware.OverwritePattern = 0x5A;
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"overwrite {f.U}"));
        f.Bus.Work.RunUntilIdle();
        Assert.False(f.Firmware.OverwriteInProgress);
        var (data, origins, _) = f.Platform.Load(0, Address);
        if (seesPattern)
        {
            Assert.All(data, b => Assert.Equal(0x5A, b));
            Assert.Equal(OriginKind.Erase, origins[0].Kind);
        }
        else
        {
            Assert.Equal(Secret, data);
        }
    }
}
