using Coherence.Kernel.Cxl;
using Coherence.Kernel.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Cxl;

public class MemdevSecurityTests
{
    [Fact]
    public void Sanitize_needs_an_idle_endpoint()
    {
        var f = new CxlFixture();
        f.Committed(f.Ep0);
        Assert.Equal(Errno.EBUSY, f.Mem0.Sanitize(CxlMboxOpcode.Sanitize));
        Assert.Equal(Errno.EBUSY, f.Mem0.Sanitize(CxlMboxOpcode.SecureErase));
        Assert.Empty(f.Fw0.Sent);
        Assert.Equal(Errno.Ok, f.Mem1.Sanitize(CxlMboxOpcode.SecureErase));
        Assert.Equal([CxlMboxOpcode.GetSecurityState, CxlMboxOpcode.SecureErase], f.Fw1.Sent);
        Assert.Equal(1, f.Fw1.Erasures);
    }

    [Theory]
    [InlineData(CxlMboxOpcode.GetSecurityState, CxlSecurityState.None, Errno.EINVAL)]
    [InlineData(CxlMboxOpcode.Unlock, CxlSecurityState.None, Errno.EINVAL)]
    [InlineData(CxlMboxOpcode.Sanitize, CxlSecurityState.UserPassSet, Errno.EINVAL)]
    [InlineData(CxlMboxOpcode.SecureErase, CxlSecurityState.UserPassSet, Errno.EINVAL)]
    [InlineData(CxlMboxOpcode.SecureErase, CxlSecurityState.Locked, Errno.EINVAL)]
    [InlineData(CxlMboxOpcode.Sanitize, CxlSecurityState.Locked, Errno.Ok)]
    [InlineData(CxlMboxOpcode.Sanitize, CxlSecurityState.MasterPassSet, Errno.Ok)]
    [InlineData(CxlMboxOpcode.SecureErase, CxlSecurityState.None, Errno.Ok)]
    public void Sanitize_argument_and_state_checks(CxlMboxOpcode command, CxlSecurityState reported, Errno expected)
    {
        var f = new CxlFixture();
        f.Fw0.ReportedStateOverride = reported;
        Assert.Equal(expected, f.Mem0.Sanitize(command));
    }

    [Fact]
    public void Sanitize_runs_in_the_background_blocks_commit_and_is_polled_with_back_off()
    {
        var f = new CxlFixture();
        f.Fw0.SanitizeSeconds = 100;
        Assert.Equal(Errno.Ok, f.Mem0.SanitizeStore("1"));
        Assert.True(f.Mem0.SanitizeActive);
        Assert.Equal("sanitize\n", f.Mem0.SecurityStateShow());
        Assert.Equal(Errno.EBUSY, f.Mem0.SanitizeStore("1"));
        var r = f.NewRegion();
        Assert.Equal(Errno.Ok, r.AttachTarget(0, f.Ep0));
        Assert.Equal(Errno.EBUSY, r.Commit());
        Assert.Equal(0, f.Fw0.Erasures);
        f.Cxl.Work.RunUntilIdle();
        Assert.Equal(1, f.Fw0.Erasures);
        Assert.False(f.Mem0.SanitizeActive);
        Assert.Equal([1L, 12, 33, 64, 105], f.Mem0.SanitizePollTimes);
        Assert.Equal(Errno.Ok, r.Commit());
    }

    [Theory]
    [InlineData("0", Errno.EINVAL)]
    [InlineData("n", Errno.EINVAL)]
    [InlineData("x", Errno.EINVAL)]
    [InlineData("", Errno.EINVAL)]
    [InlineData("y", Errno.Ok)]
    [InlineData("on", Errno.Ok)]
    public void Sysfs_erase_takes_a_boolean(string text, Errno expected)
    {
        var f = new CxlFixture();
        Assert.Equal(expected, f.Mem0.EraseStore(text));
    }

    [Fact]
    public void Security_state_attribute()
    {
        var f = new CxlFixture();
        var bus = new NvdimmBus(f.Recording);
        var dimm = f.Mem0.CreateNvdimm(bus);
        Assert.Equal("disabled\n", f.Mem0.SecurityStateShow());
        var u = bus.Keys.Add(KeyType.Encrypted, "u", KeyRing.Passphrase("user"));
        Assert.Equal(Errno.Ok, dimm.SecurityStore($"update 0 {u}"));
        Assert.Equal("unlocked\n", f.Mem0.SecurityStateShow());
        Assert.Equal(Errno.Ok, dimm.SecurityStore("freeze"));
        Assert.Equal("frozen\n", f.Mem0.SecurityStateShow());
        f.Fw0.PowerCycle();
        var bus2 = new NvdimmBus(f.Recording, keys: bus.Keys);
        var dimm2 = f.Mem0.CreateNvdimm(bus2);
        Assert.Equal(NvdimmSecurityFlags.Locked, dimm2.SecurityFlags);
        Assert.Equal("locked\n", f.Mem0.SecurityStateShow());
        Assert.True(f.Platform.Cxl0.IsLocked);
        bus2.Keys.AddNvdimmKey("mem0", KeyRing.Passphrase("user"));
        Assert.Equal(Errno.Ok, dimm2.Probe());
        Assert.False(f.Platform.Cxl0.IsLocked);
        Assert.True(dimm2.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
        Assert.Contains(CxlMboxOpcode.Unlock, f.Fw0.Sent);
    }

    private static readonly string[] Commands =
        ["freeze", "disable U", "disable_master M", "update U N", "erase U", "overwrite U", "master_update M M2", "master_erase M"];

    public static TheoryData<string, string, Errno> CxlCells()
    {
        const Errno Ok = Errno.Ok, Nx = Errno.ENXIO, Eio = Errno.EIO, NoSup = Errno.EOPNOTSUPP;
        var table = new Dictionary<string, Errno[]>
        {
            // Every CXL op is one mailbox command; any failing return code is -ENXIO. There is no overwrite op.
            ["disabled"] = [Ok, Nx, Ok, Ok, Nx, NoSup, Ok, Ok],
            ["unlocked"] = [Ok, Ok, Ok, Ok, Ok, NoSup, Ok, Ok],
            ["locked"] = [Ok, Nx, Ok, Nx, Nx, NoSup, Ok, Ok],
            ["frozen"] = [Ok, Eio, Eio, Eio, Eio, NoSup, Eio, Eio],
        };
        var data = new TheoryData<string, string, Errno>();
        foreach (var (state, row) in table)
        {
            for (var i = 0; i < Commands.Length; i++)
            {
                data.Add(state, Commands[i], row[i]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CxlCells))]
    public void Cxl_nvdimm_command_from_state_gives_errno(string state, string command, Errno expected)
    {
        var f = new CxlFixture();
        var user = KeyRing.Passphrase("user");
        var master = KeyRing.Passphrase("master");
        Assert.Equal(CxlMboxReturnCode.Success, f.Fw0.SetPassphrase(CxlPassphraseType.Master, default, master));
        if (state != "disabled")
        {
            Assert.Equal(CxlMboxReturnCode.Success, f.Fw0.SetPassphrase(CxlPassphraseType.User, default, user));
        }
        if (state == "locked")
        {
            f.Fw0.PowerCycle();
        }
        if (state == "frozen")
        {
            Assert.Equal(CxlMboxReturnCode.Success, f.Fw0.FreezeSecurity());
        }
        var bus = new NvdimmBus(f.Recording);
        var dimm = f.Mem0.CreateNvdimm(bus);
        var u = bus.Keys.Add(KeyType.Encrypted, "u", user);
        var n = bus.Keys.Add(KeyType.Encrypted, "n", KeyRing.Passphrase("new"));
        var m = bus.Keys.Add(KeyType.Encrypted, "m", master);
        var m2 = bus.Keys.Add(KeyType.Encrypted, "m2", KeyRing.Passphrase("master2"));
        var text = command.Replace("M2", m2.ToString(), StringComparison.Ordinal).Replace("U", u.ToString(), StringComparison.Ordinal)
            .Replace("N", n.ToString(), StringComparison.Ordinal).Replace(" M", " " + m, StringComparison.Ordinal);
        Assert.Equal(expected, dimm.SecurityStore(text));
    }
}
