using Coherence.Kernel.Nvdimm;
using Coherence.Platform.Devices;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Nvdimm;

/// <summary>The DIMM states the command table starts from.</summary>
public enum DimmSetup
{
    Disabled,
    Unlocked,
    Locked,
    Frozen,
    Overwrite,
    Busy,
    NonX86,
    DsmMaskStateOnly,
    Unsupported,
}

/// <summary>An Intel NVDIMM on a bus, with keys U ("user"), N ("new"), M ("master"), M2 ("master2") in the ring.</summary>
internal sealed class NvdimmFixture
{
    public const string DimmId = "8089-a2-1740-00000133";

    public NvdimmFixture(NvdimmFlushPolicy policy = NvdimmFlushPolicy.V6_2, DimmSetup setup = DimmSetup.Unlocked,
        LockedReadMode lockedReadMode = LockedReadMode.Poison, bool realInvalidation = false)
    {
        Platform = new KernelMachine(lockedReadMode);
        Recording = new RecordingInvalidator();
        Bus = new NvdimmBus(realInvalidation ? Platform.Invalidator : Recording, policy);
        Firmware = new IntelDsmDimm(Platform.Machine, Platform.NvdimmDevice, Bus.Work);
        Firmware.ProvisionMasterPassphrase(KeyRing.Passphrase("master"));
        U = Bus.Keys.Add(KeyType.Encrypted, "logon:u", KeyRing.Passphrase("user"));
        N = Bus.Keys.Add(KeyType.Encrypted, "logon:n", KeyRing.Passphrase("new"));
        M = Bus.Keys.Add(KeyType.Encrypted, "logon:m", KeyRing.Passphrase("master"));
        M2 = Bus.Keys.Add(KeyType.Encrypted, "logon:m2", KeyRing.Passphrase("master2"));
        if (setup is not DimmSetup.Disabled and not DimmSetup.Unsupported)
        {
            Firmware.ProvisionUserPassphrase(KeyRing.Passphrase("user"));
        }
        if (setup == DimmSetup.Locked)
        {
            Firmware.PowerCycle();
        }
        if (setup == DimmSetup.Frozen)
        {
            Assert.Equal(IntelDsmStatus.Success, Firmware.FreezeLock());
        }
        if (setup == DimmSetup.DsmMaskStateOnly)
        {
            Firmware.DsmMask = IntelDsmCommands.GetSecurityState;
        }
        if (setup == DimmSetup.Unsupported)
        {
            Firmware.SecurityUnsupported = true;
        }
        Ops = new IntelNvdimmSecurityOps(Firmware, Bus, x86: setup != DimmSetup.NonX86);
        Dimm = Bus.AddDimm("nmem0", DimmId, Ops);
        Region = Bus.AddRegion("region0", KernelMachine.Pmem, KernelMachine.PmemSize, Dimm);
        if (setup == DimmSetup.Overwrite)
        {
            Firmware.OverwriteSeconds = 3600;
            Assert.Equal(Errno.Ok, Dimm.SecurityStore($"overwrite {U}"));
        }
        if (setup == DimmSetup.Busy)
        {
            Assert.Equal(Errno.Ok, Region.Probe());
        }
    }

    public KernelMachine Platform { get; }

    public RecordingInvalidator Recording { get; }

    public NvdimmBus Bus { get; }

    public IntelDsmDimm Firmware { get; }

    public IntelNvdimmSecurityOps Ops { get; }

    public Coherence.Kernel.Nvdimm.Nvdimm Dimm { get; }

    public NdRegion Region { get; }

    public int U { get; }

    public int N { get; }

    public int M { get; }

    public int M2 { get; }
}
