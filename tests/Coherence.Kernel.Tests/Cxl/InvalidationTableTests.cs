using Coherence.Kernel.Cxl;
using Coherence.Kernel.Nvdimm;
using Coherence.Kernel.Tests.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Cxl;

/// <summary>Spec §2.6 as data, each row checked against the NVDIMM (v6.2) and CXL (v6.5+) implementations.</summary>
public class InvalidationTableTests
{
    public static TheoryData<DeviceMemoryEvent> Events()
    {
        var data = new TheoryData<DeviceMemoryEvent>();
        foreach (var rule in InvalidationTable.Current)
        {
            data.Add(rule.Event);
        }
        return data;
    }

    [Fact]
    public void Every_event_has_exactly_one_row()
    {
        foreach (var e in Enum.GetValues<DeviceMemoryEvent>())
        {
            Assert.Single(InvalidationTable.Current, r => r.Event == e);
        }
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void Implementation_matches_the_row(DeviceMemoryEvent e)
    {
        var rule = InvalidationTable.Current.Single(r => r.Event == e);
        switch (rule.Requirement)
        {
            case InvalidationRequirement.None:
            case InvalidationRequirement.NextRegionActivate:
                CheckNvdimmFlagRow(e, rule.Requirement == InvalidationRequirement.NextRegionActivate);
                break;
            case InvalidationRequirement.ActivateBusyUntilDoneThenFlush:
                {
                    var f = new NvdimmFixture();
                    f.Firmware.OverwriteSeconds = 40;
                    Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"overwrite {f.U}"));
                    Assert.True(f.Dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent | NvdimmDeviceFlags.SecurityOverwrite));
                    Assert.Empty(f.Recording.Calls);
                    f.Bus.Work.Advance(30);
                    Assert.True(f.Firmware.OverwriteInProgress);
                    f.Bus.Work.RunUntilIdle();
                    Assert.Equal(Errno.Ok, f.Region.Probe());
                    Assert.Single(f.Recording.Calls);
                    var g = new NvdimmFixture();
                    g.Recording.HasInvalidate = false;
                    g.Firmware.OverwriteSeconds = 40;
                    Assert.Equal(Errno.Ok, g.Dimm.SecurityStore($"overwrite {g.U}"));
                    g.Bus.Work.RunUntilIdle();
                    Assert.Equal(Errno.ENXIO, g.Region.Probe());
                    break;
                }
            case InvalidationRequirement.Opportunistic:
                {
                    var f = new NvdimmFixture();
                    Assert.Equal(Errno.Ok, f.Region.Probe());
                    f.Region.Remove();
                    Assert.Single(f.Recording.Calls);
                    var g = new NvdimmFixture();
                    Assert.Equal(Errno.Ok, g.Region.Probe());
                    g.Recording.HasInvalidate = false;
                    g.Region.Remove();
                    Assert.False(g.Region.IsActive);
                    Assert.Empty(g.Recording.Calls);
                    break;
                }
            case InvalidationRequirement.BeforeDecoderProgramming:
                {
                    CxlFixture? holder = null;
                    var committedAtFlush = new List<bool>();
                    var probe = new ProbingInvalidator(() => committedAtFlush.Add(holder!.Ep0.IsCommitted || holder.Ep1.IsCommitted));
                    var f = holder = new CxlFixture(invalidator: probe);
                    var r = f.Committed(f.Ep0);
                    Assert.Equal([false], committedAtFlush);
                    Assert.Equal(Errno.Ok, f.Repoint(r, f.Ep1));
                    // Reset flushes while Ep0 is still committed; the commit flush comes before Ep1 is programmed.
                    Assert.Equal([false, true, false], committedAtFlush);
                    var vm = new CxlFixture();
                    vm.Recording.HasInvalidate = false;
                    var r2 = vm.NewRegion();
                    Assert.Equal(Errno.Ok, r2.AttachTarget(0, vm.Ep0));
                    Assert.Equal(Errno.ENXIO, r2.Commit());
                    Assert.False(vm.Ep0.IsCommitted);
                    break;
                }
            case InvalidationRequirement.BeforeResetWarnIfUnavailable:
                {
                    var f = new CxlFixture();
                    var r = f.Committed(f.Ep0);
                    f.Recording.HasInvalidate = false;
                    Assert.Equal(Errno.Ok, r.Decommit());
                    Assert.Single(f.Recording.Calls);
                    Assert.Equal(1, f.Cxl.Log.WarnCount);
                    var g = new CxlFixture();
                    var r2 = g.Committed(g.Ep0);
                    Assert.Equal(Errno.Ok, r2.Decommit());
                    Assert.Equal(2, g.Recording.Calls.Count);
                    Assert.False(f.Ep0.IsCommitted);
                    break;
                }
            case InvalidationRequirement.NextCommit:
                {
                    var f = new CxlFixture();
                    var r = f.Committed(f.Ep0);
                    var command = e == DeviceMemoryEvent.CxlSanitize ? CxlMboxOpcode.Sanitize : CxlMboxOpcode.SecureErase;
                    Assert.Equal(Errno.EBUSY, f.Mem0.Sanitize(command));
                    Assert.Equal(Errno.Ok, r.Decommit());
                    var calls = f.Recording.Calls.Count;
                    Assert.Equal(Errno.Ok, f.Mem0.Sanitize(command));
                    f.Cxl.Work.RunUntilIdle();
                    Assert.Equal(calls, f.Recording.Calls.Count);
                    Assert.Equal(Errno.Ok, r.Commit());
                    Assert.Equal(calls + 1, f.Recording.Calls.Count);
                    break;
                }
            default:
                throw new InvalidOperationException(rule.Requirement.ToString());
        }
    }

    /// <summary>Runs an NVDIMM event on an idle DIMM and checks INCOHERENT and the flush at the next activate.</summary>
    private static void CheckNvdimmFlagRow(DeviceMemoryEvent e, bool incoherent)
    {
        var f = new NvdimmFixture(setup: e == DeviceMemoryEvent.NvdimmUnlock ? DimmSetup.Locked : DimmSetup.Unlocked);
        var rc = e switch
        {
            DeviceMemoryEvent.NvdimmUnlock => Unlock(f),
            DeviceMemoryEvent.NvdimmPreOsUnlockRevalidate => Revalidate(f),
            DeviceMemoryEvent.NvdimmDisable => f.Dimm.SecurityStore($"disable {f.U}"),
            DeviceMemoryEvent.NvdimmUpdate => f.Dimm.SecurityStore($"update {f.U} {f.N}"),
            DeviceMemoryEvent.NvdimmFreeze => f.Dimm.SecurityStore("freeze"),
            DeviceMemoryEvent.NvdimmErase => f.Dimm.SecurityStore($"erase {f.U}"),
            DeviceMemoryEvent.NvdimmMasterErase => f.Dimm.SecurityStore($"master_erase {f.M}"),
            _ => throw new InvalidOperationException(e.ToString()),
        };
        Assert.Equal(Errno.Ok, rc);
        Assert.Equal(incoherent, f.Dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
        Assert.Empty(f.Recording.Calls);
        f.Recording.HasInvalidate = false;
        Assert.Equal(incoherent ? Errno.ENXIO : Errno.Ok, f.Region.Probe());
        f.Recording.HasInvalidate = true;
        Assert.Equal(Errno.Ok, f.Region.Probe());
        Assert.Equal(incoherent ? 1 : 0, f.Recording.Calls.Count);
    }

    private static Errno Unlock(NvdimmFixture f)
    {
        f.Bus.Keys.AddNvdimmKey(NvdimmFixture.DimmId, KeyRing.Passphrase("user"));
        return f.Dimm.Probe();
    }

    private static Errno Revalidate(NvdimmFixture f)
    {
        f.Bus.Keys.AddNvdimmKey(NvdimmFixture.DimmId, KeyRing.Passphrase("user"));
        Assert.True(f.Dimm.SecurityFlags.HasFlag(NvdimmSecurityFlags.Unlocked));
        return f.Dimm.Probe();
    }

    private sealed class ProbingInvalidator(Action onCall) : ICacheInvalidator
    {
        public int Calls { get; private set; }

        public bool HasInvalidate => true;

        public int Invalidate(ulong start, ulong length)
        {
            Calls++;
            onCall();
            return 0;
        }
    }
}
