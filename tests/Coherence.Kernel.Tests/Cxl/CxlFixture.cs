using Coherence.Kernel.Cxl;
using Coherence.Kernel.Nvdimm;
using Coherence.Kernel.Tests.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Cxl;

/// <summary>Two memdevs (cxl0, cxl1) below one host bridge, a root decoder over the 256 MiB window.</summary>
internal sealed class CxlFixture
{
    public CxlFixture(CxlRegionOptions? options = null, bool realInvalidation = false, ICacheInvalidator? invalidator = null)
    {
        Platform = new KernelMachine();
        Recording = new RecordingInvalidator();
        Cxl = new CxlSubsystem(Platform.Machine, invalidator ?? (realInvalidation ? Platform.Invalidator : Recording), options);
        Fw0 = new CxlMemdevFirmware(Platform.Machine, Platform.Cxl0, Cxl.Work);
        Fw1 = new CxlMemdevFirmware(Platform.Machine, Platform.Cxl1, Cxl.Work);
        HostBridge = Cxl.AddHostBridge("host0");
        Root = Cxl.AddRootDecoder("cxl-window0", HostBridge);
        Mem0 = Cxl.AddMemdev("mem0", Fw0, HostBridge);
        Mem1 = Cxl.AddMemdev("mem1", Fw1, HostBridge);
        Ep0 = Prepare(Mem0.Endpoint!.Decoders[0]);
        Ep1 = Prepare(Mem1.Endpoint!.Decoders[0]);
    }

    private static CxlDecoder Prepare(CxlDecoder d)
    {
        Assert.Equal(Errno.Ok, d.SetMode(CxlDecoderMode.Pmem));
        Assert.Equal(Errno.Ok, d.AllocateDpa(KernelMachine.CxlSize));
        return d;
    }

    public KernelMachine Platform { get; }

    public RecordingInvalidator Recording { get; }

    public CxlSubsystem Cxl { get; }

    public CxlMemdevFirmware Fw0 { get; }

    public CxlMemdevFirmware Fw1 { get; }

    public CxlPort HostBridge { get; }

    public CxlRootDecoder Root { get; }

    public CxlMemdev Mem0 { get; }

    public CxlMemdev Mem1 { get; }

    public CxlDecoder Ep0 { get; }

    public CxlDecoder Ep1 { get; }

    public CxlRegion NewRegion(bool withSize = true)
    {
        var r = Root.CreateRegion();
        Assert.Equal(Errno.Ok, r.SetInterleaveWays(1));
        Assert.Equal(Errno.Ok, r.SetInterleaveGranularity(256));
        if (withSize)
        {
            Assert.Equal(Errno.Ok, r.SetSize(KernelMachine.CxlSize));
        }
        return r;
    }

    public CxlRegion Committed(CxlDecoder ep)
    {
        var r = NewRegion();
        Assert.Equal(Errno.Ok, r.AttachTarget(0, ep));
        Assert.Equal(Errno.Ok, r.Commit());
        Assert.Equal(Errno.Ok, r.Probe());
        return r;
    }

    /// <summary>Tears a region down to no targets and re-attaches it to <paramref name="ep"/>, committing again.</summary>
    public Errno Repoint(CxlRegion r, CxlDecoder ep)
    {
        var rc = r.Decommit();
        if (rc != Errno.Ok)
        {
            return rc;
        }
        Assert.Equal(Errno.Ok, r.DetachTarget(0));
        Assert.Equal(Errno.Ok, r.AttachTarget(0, ep));
        rc = r.Commit();
        return rc != Errno.Ok ? rc : r.Probe();
    }
}
