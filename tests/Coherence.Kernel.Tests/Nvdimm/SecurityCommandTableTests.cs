using Coherence.Kernel.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Nvdimm;

/// <summary>
/// Every sysfs security command from every DIMM state, with the errno derived from spec §2.1 (security.c) and §2.2
/// (intel.c status mapping) and the firmware rules of <see cref="IntelDsmDimm"/>. Keys: U = the user passphrase,
/// N = a new one, M = the master passphrase, M2 = a new master passphrase.
/// </summary>
public class SecurityCommandTableTests
{
    private static readonly string[] Commands =
        ["freeze", "disable U", "disable_master M", "update U N", "erase U", "overwrite U", "master_update M M2", "master_erase M"];

    private const Errno Ok = Errno.Ok;
    private const Errno Busy = Errno.EBUSY;
    private const Errno Eio = Errno.EIO;
    private const Errno NoSup = Errno.EOPNOTSUPP;

    public static TheoryData<DimmSetup, string, Errno> Cells()
    {
        var table = new Dictionary<DimmSetup, Errno[]>
        {
            // freeze, disable, disable_master (no Intel op), update, erase, overwrite, master_update, master_erase
            // Disabled: DISABLE_PASSPHRASE is INVALID_STATE (-ENXIO); with no user passphrase the old/erase/overwrite
            // passphrase must be the zero key, U is not: INVALID_PASS (-EINVAL).
            [DimmSetup.Disabled] = [Ok, Errno.ENXIO, NoSup, Errno.EINVAL, Errno.EINVAL, Errno.EINVAL, Ok, Ok],
            [DimmSetup.Unlocked] = [Ok, Ok, NoSup, Ok, Ok, Ok, Ok, Ok],
            // Locked: disable INVALID_STATE -ENXIO, change_key INVALID_STATE -EIO, user erase INVALID_STATE -ENXIO.
            [DimmSetup.Locked] = [Ok, Errno.ENXIO, NoSup, Eio, Errno.ENXIO, Ok, Ok, Ok],
            // Frozen: check_security_state gives -EIO; freeze itself does not check; disable_master has no op.
            [DimmSetup.Frozen] = [Ok, Eio, NoSup, Eio, Eio, Eio, Eio, Eio],
            // Overwrite running: freeze -EBUSY, check_security_state -EBUSY.
            [DimmSetup.Overwrite] = [Busy, Busy, NoSup, Busy, Busy, Busy, Busy, Busy],
            // An active region: the sysfs busy check refuses erase, overwrite and master_erase only.
            [DimmSetup.Busy] = [Ok, Ok, NoSup, Ok, Busy, Busy, Ok, Busy],
            // Not x86: no unlock, erase, overwrite, query ops.
            [DimmSetup.NonX86] = [Ok, Ok, NoSup, Ok, NoSup, NoSup, Ok, NoSup],
            // DSM mask with GET_SECURITY_STATE only: every op answers -ENOTTY.
            [DimmSetup.DsmMaskStateOnly] = [Errno.ENOTTY, Errno.ENOTTY, NoSup, Errno.ENOTTY, Errno.ENOTTY, Errno.ENOTTY, Errno.ENOTTY, Errno.ENOTTY],
            // Security unsupported: flags 0, so the attribute is not visible at all.
            [DimmSetup.Unsupported] = [Errno.ENOENT, Errno.ENOENT, Errno.ENOENT, Errno.ENOENT, Errno.ENOENT, Errno.ENOENT, Errno.ENOENT, Errno.ENOENT],
        };
        var data = new TheoryData<DimmSetup, string, Errno>();
        foreach (var (setup, row) in table)
        {
            Assert.Equal(Commands.Length, row.Length);
            for (var i = 0; i < Commands.Length; i++)
            {
                data.Add(setup, Commands[i], row[i]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Command_from_state_gives_errno(DimmSetup setup, string command, Errno expected)
    {
        var f = new NvdimmFixture(setup: setup);
        var text = command.Replace("M2", f.M2.ToString(), StringComparison.Ordinal).Replace("U", f.U.ToString(), StringComparison.Ordinal)
            .Replace("N", f.N.ToString(), StringComparison.Ordinal).Replace(" M", " " + f.M, StringComparison.Ordinal);
        Assert.Equal(expected, f.Dimm.SecurityStore(text));
    }

    [Fact]
    public void Table_covers_every_command_and_setup()
    {
        var cells = Cells();
        Assert.Equal(Enum.GetValues<DimmSetup>().Length * Commands.Length, cells.Count);
        foreach (NvdimmSecurityCommand c in Enum.GetValues<NvdimmSecurityCommand>())
        {
            var name = c switch
            {
                NvdimmSecurityCommand.DisableMaster => "disable_master",
                NvdimmSecurityCommand.MasterUpdate => "master_update",
                NvdimmSecurityCommand.MasterErase => "master_erase",
                _ => c.ToString().ToLowerInvariant(),
            };
            Assert.Contains(Commands, x => x.Split(' ')[0] == name && x.Split(' ').Length == Coherence.Kernel.Nvdimm.Nvdimm.ArgumentCount(c));
        }
    }

    [Fact]
    public void Direct_calls_with_flags_zero_follow_each_function()
    {
        var f = new NvdimmFixture(setup: DimmSetup.Unsupported);
        Assert.Equal(NvdimmSecurityFlags.None, f.Dimm.SecurityFlags);
        Assert.Equal(Errno.EIO, f.Dimm.Freeze());
        Assert.Equal(Errno.EIO, f.Dimm.Unlock());
        Assert.Equal(Errno.EOPNOTSUPP, f.Dimm.Disable((uint)f.U, NvdimmPassphraseType.User));
        Assert.Equal(Errno.EOPNOTSUPP, f.Dimm.Update((uint)f.U, (uint)f.N, NvdimmPassphraseType.User));
        Assert.Equal(Errno.EOPNOTSUPP, f.Dimm.Erase((uint)f.U, NvdimmPassphraseType.User));
        Assert.Equal(Errno.EOPNOTSUPP, f.Dimm.Overwrite((uint)f.U));
        Assert.Equal(Errno.ENOTTY, f.Dimm.SecurityShow(out _));
    }

    [Fact]
    public void No_ops_means_no_security()
    {
        var f = new NvdimmFixture();
        var bare = f.Bus.AddDimm("nmem9", "bare", null);
        Assert.Equal(Errno.ENOENT, bare.SecurityStore("freeze"));
        Assert.Equal(Errno.EOPNOTSUPP, bare.Freeze());
        Assert.Equal(Errno.EIO, bare.Unlock());
    }

    [Theory]
    [InlineData(DimmSetup.Disabled, "disabled\n", "0\n")]
    [InlineData(DimmSetup.Unlocked, "unlocked\n", "0\n")]
    [InlineData(DimmSetup.Locked, "locked\n", "0\n")]
    [InlineData(DimmSetup.Frozen, "unlocked\n", "1\n")]
    [InlineData(DimmSetup.Overwrite, "overwrite\n", "0\n")]
    public void Security_attribute_reads_in_the_kernel_order(DimmSetup setup, string security, string frozen)
    {
        var f = new NvdimmFixture(setup: setup);
        Assert.Equal(Errno.Ok, f.Dimm.SecurityShow(out var text));
        Assert.Equal(security, text);
        Assert.Equal(frozen, f.Dimm.FrozenShow());
    }

    [Fact]
    public void State_changes_are_reread_after_each_command()
    {
        var f = new NvdimmFixture(setup: DimmSetup.Disabled);
        Assert.Equal(NvdimmSecurityFlags.Disabled, f.Dimm.SecurityFlags);
        Assert.Equal(NvdimmSecurityFlags.Unlocked, f.Dimm.MasterSecurityFlags);
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"update 0 {f.U}"));
        Assert.Equal(NvdimmSecurityFlags.Unlocked, f.Dimm.SecurityFlags);
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore("freeze"));
        Assert.Equal(NvdimmSecurityFlags.Unlocked | NvdimmSecurityFlags.Frozen, f.Dimm.SecurityFlags);
        Assert.Equal(Errno.EIO, f.Dimm.SecurityStore($"disable {f.U}"));
    }

    [Fact]
    public void Master_erase_needs_the_master_passphrase_enabled()
    {
        var f = new NvdimmFixture();
        Assert.Equal(Errno.EINVAL, f.Dimm.SecurityStore($"master_update 0 {f.M}"));
        Assert.Equal(Errno.EINVAL, f.Dimm.SecurityStore($"master_erase {f.U}"));
        Assert.Equal(Errno.Ok, f.Dimm.SecurityStore($"master_erase {f.M}"));
        Assert.Equal(NvdimmSecurityFlags.Disabled, f.Dimm.SecurityFlags);
        Assert.True(f.Dimm.Flags.HasFlag(NvdimmDeviceFlags.Incoherent));
        var g = new NvdimmFixture();
        var plain = new IntelDsmDimm(g.Platform.Machine, g.Platform.Cxl0, g.Bus.Work);
        plain.ProvisionUserPassphrase(KeyRing.Passphrase("user"));
        var dimm = g.Bus.AddDimm("nmem1", "other", new IntelNvdimmSecurityOps(plain, g.Bus));
        Assert.Equal(NvdimmSecurityFlags.Disabled, dimm.MasterSecurityFlags);
        Assert.Equal(Errno.EOPNOTSUPP, dimm.SecurityStore($"master_erase {g.M}"));
        Assert.Equal(Errno.EOPNOTSUPP, dimm.SecurityStore($"master_update {g.M} {g.M2}"));
    }

    [Fact]
    public void Wrong_passphrases_reach_the_limit_and_read_as_frozen()
    {
        var f = new NvdimmFixture();
        for (var i = 0; i < f.Firmware.PassphraseAttemptLimit; i++)
        {
            Assert.Equal(Errno.EINVAL, f.Dimm.SecurityStore($"disable {f.N}"));
        }
        Assert.True(f.Dimm.SecurityFlags.HasFlag(NvdimmSecurityFlags.Frozen));
        Assert.Equal(Errno.EIO, f.Dimm.SecurityStore($"disable {f.U}"));
        f.Firmware.PowerCycle();
        var bus2 = new NvdimmBus(f.Recording, NvdimmFlushPolicy.V6_2, keys: f.Bus.Keys);
        var dimm = bus2.AddDimm("nmem0", NvdimmFixture.DimmId, new IntelNvdimmSecurityOps(f.Firmware, bus2));
        Assert.Equal(NvdimmSecurityFlags.Locked, dimm.SecurityFlags);
    }
}
