using Coherence.Kernel.Cxl;
using Coherence.Kernel.Tests.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Tests.Cxl;

/// <summary>Every region operation from every configuration state (spec §2.5 and region.c), with errno and resulting state.</summary>
public class RegionStateMachineTests
{
    public enum Op
    {
        Ways,
        Granularity,
        SameSize,
        FreeSize,
        Attach,
        Detach,
        Commit,
        Decommit,
        Probe,
    }

    private static CxlRegion At(CxlFixture f, CxlRegionState state)
    {
        var r = f.NewRegion(withSize: state != CxlRegionState.Idle);
        if (state >= CxlRegionState.Active)
        {
            Assert.Equal(Errno.Ok, r.AttachTarget(0, f.Ep0));
        }
        if (state == CxlRegionState.Commit)
        {
            Assert.Equal(Errno.Ok, r.Commit());
        }
        Assert.Equal(state, r.State);
        return r;
    }

    private static Errno Run(CxlFixture f, CxlRegion r, Op op) => op switch
    {
        Op.Ways => r.SetInterleaveWays(1),
        Op.Granularity => r.SetInterleaveGranularity(512),
        Op.SameSize => r.SetSize(KernelMachine.CxlSize),
        Op.FreeSize => r.SetSize(0),
        Op.Attach => r.AttachTarget(0, f.Ep0),
        Op.Detach => r.DetachTarget(0),
        Op.Commit => r.Commit(),
        Op.Decommit => r.Decommit(),
        _ => r.Probe(),
    };

    public static TheoryData<CxlRegionState, Op, Errno, CxlRegionState> Cells()
    {
        const CxlRegionState I = CxlRegionState.Idle, IA = CxlRegionState.InterleaveActive, A = CxlRegionState.Active, C = CxlRegionState.Commit;
        const Errno Ok = Errno.Ok, Busy = Errno.EBUSY, Nx = Errno.ENXIO;
        var rows = new (CxlRegionState From, (Errno Rc, CxlRegionState To)[] Cells)[]
        {
            // Ways, Granularity, SameSize, FreeSize, Attach, Detach, Commit, Decommit, Probe
            (I, [(Ok, I), (Ok, I), (Ok, IA), (Ok, I), (Nx, I), (Ok, I), (Nx, I), (Ok, I), (Nx, I)]),
            (IA, [(Busy, IA), (Busy, IA), (Ok, IA), (Ok, I), (Ok, A), (Ok, IA), (Nx, IA), (Ok, IA), (Nx, IA)]),
            (A, [(Busy, A), (Busy, A), (Ok, A), (Busy, A), (Busy, A), (Ok, IA), (Ok, C), (Ok, A), (Nx, A)]),
            (C, [(Busy, C), (Busy, C), (Ok, C), (Busy, C), (Busy, C), (Ok, IA), (Ok, C), (Ok, A), (Ok, C)]),
        };
        var data = new TheoryData<CxlRegionState, Op, Errno, CxlRegionState>();
        foreach (var (from, cells) in rows)
        {
            Assert.Equal(Enum.GetValues<Op>().Length, cells.Length);
            for (var i = 0; i < cells.Length; i++)
            {
                data.Add(from, (Op)i, cells[i].Rc, cells[i].To);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Operation_from_state(CxlRegionState from, Op op, Errno expected, CxlRegionState to)
    {
        var f = new CxlFixture();
        var r = At(f, from);
        Assert.Equal(expected, Run(f, r, op));
        Assert.Equal(to, r.State);
    }

    [Fact]
    public void Configuration_checks()
    {
        var f = new CxlFixture();
        var r = f.Root.CreateRegion();
        Assert.Equal(Errno.ENXIO, r.SetSize(KernelMachine.CxlSize));
        Assert.Equal(Errno.EINVAL, r.SetInterleaveWays(5));
        Assert.Throws<NotSupportedException>(() => r.SetInterleaveWays(2));
        Assert.Equal(Errno.Ok, r.SetInterleaveWays(1));
        Assert.Equal(Errno.EINVAL, r.SetInterleaveGranularity(128));
        Assert.Equal(Errno.EINVAL, r.SetInterleaveGranularity(768));
        Assert.Equal(Errno.Ok, r.SetInterleaveGranularity(4096));
        Assert.Equal(Errno.EINVAL, r.SetSize(1 << 20));
        Assert.Equal(Errno.ENOSPC, r.SetSize(2 * KernelMachine.CxlSize));
        Assert.Equal(Errno.Ok, r.SetSize(KernelMachine.CxlSize));
        Assert.Equal(Errno.EBUSY, r.SetSize(KernelMachine.CxlSize * 2));
        var other = f.NewRegion(withSize: false);
        Assert.Equal(Errno.ENOSPC, other.SetSize(KernelMachine.CxlSize));
        Assert.Equal(Errno.ENXIO, r.AttachTarget(1, f.Ep0));
        var ram = f.Mem1.Endpoint!.Decoders[1];
        Assert.Equal(Errno.Ok, ram.SetMode(CxlDecoderMode.Ram));
        Assert.Equal(Errno.EINVAL, r.AttachTarget(0, ram));
        Assert.Equal(Errno.EINVAL, r.AttachTarget(0, f.HostBridge.Decoders[0]));
        Assert.Equal(Errno.Ok, r.AttachTarget(0, f.Ep0));
        // The state check comes first: once the last target is attached even the same decoder is "already active".
        Assert.Equal(Errno.EBUSY, r.AttachTarget(0, f.Ep0));
    }

    [Fact]
    public void Dpa_allocation_rules()
    {
        var f = new CxlFixture();
        var d = f.Mem0.Endpoint!.Decoders[2];
        Assert.Equal(Errno.EINVAL, d.AllocateDpa(KernelMachine.CxlSize));
        Assert.Equal(Errno.Ok, d.SetMode(CxlDecoderMode.Pmem));
        Assert.Equal(Errno.EINVAL, d.AllocateDpa(4096));
        Assert.Equal(Errno.ENOSPC, d.AllocateDpa(KernelMachine.CxlSize));
        Assert.Equal(Errno.EBUSY, f.Ep0.SetMode(CxlDecoderMode.Ram));
        var r = f.NewRegion();
        Assert.Equal(Errno.EBUSY, f.Ep1.SetMode(CxlDecoderMode.Pmem));
        Assert.Equal(Errno.Ok, f.Ep1.AllocateDpa(0));
        Assert.Equal(Errno.EINVAL, r.AttachTarget(0, f.Ep1));
    }

    [Fact]
    public void Decoders_commit_bottom_up_in_id_order()
    {
        var f = new CxlFixture();
        var r = f.Committed(f.Ep0);
        Assert.True(f.Ep0.IsCommitted);
        Assert.True(f.HostBridge.Decoders[0].IsCommitted);
        Assert.Equal(1, f.Mem0.Endpoint!.NumDecodersCommitted);
        Assert.Same(f.Platform.Cxl0, f.Platform.Machine.ResourceAt(KernelMachine.Cxl).Device);
        Assert.Equal(Errno.Ok, r.Decommit());
        Assert.False(f.Ep0.IsCommitted);
        Assert.Equal(0, f.Mem0.Endpoint.NumDecodersCommitted);
        Assert.Equal(-1, f.HostBridge.CommitEnd);
    }

    [Fact]
    public void Out_of_order_commit_is_busy_and_the_chain_is_reset()
    {
        var f = new CxlFixture();
        var second = f.Mem1.Endpoint!.Decoders[1];
        Assert.Equal(Errno.Ok, f.Ep1.AllocateDpa(0));
        Assert.Equal(Errno.Ok, second.SetMode(CxlDecoderMode.Pmem));
        Assert.Equal(Errno.Ok, second.AllocateDpa(KernelMachine.CxlSize));
        var r = f.NewRegion();
        Assert.Equal(Errno.Ok, r.AttachTarget(0, second));
        Assert.Equal(Errno.EBUSY, r.Commit());
        Assert.Equal(CxlRegionState.Active, r.State);
        Assert.False(second.IsCommitted);
        Assert.Equal(0, f.Mem1.Endpoint.NumDecodersCommitted);
        Assert.Contains(f.Cxl.Log.Entries, e => e.Text.Contains("out of order commit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_decoder_that_fails_to_commit_unwinds_and_the_error_path_invalidates_again()
    {
        var f = new CxlFixture();
        f.HostBridge.Decoders[0].InjectCommitError = Errno.ETIMEDOUT;
        var r = f.NewRegion();
        Assert.Equal(Errno.Ok, r.AttachTarget(0, f.Ep0));
        Assert.Equal(Errno.ETIMEDOUT, r.Commit());
        Assert.Equal(CxlRegionState.Active, r.State);
        Assert.False(f.Ep0.IsCommitted);
        Assert.Equal(0, f.Mem0.Endpoint!.NumDecodersCommitted);
        Assert.Equal(2, f.Recording.Calls.Count);
        Assert.Equal(Errno.Ok, r.Commit());
        Assert.Equal(CxlRegionState.Commit, r.State);
    }

    [Fact]
    public void Commit_store_parses_a_boolean()
    {
        var f = new CxlFixture();
        var r = f.NewRegion();
        Assert.Equal(Errno.Ok, r.AttachTarget(0, f.Ep0));
        Assert.Equal(Errno.EINVAL, r.CommitStore("maybe"));
        Assert.Equal(Errno.Ok, r.CommitStore("1\n"));
        Assert.Equal(CxlRegionState.Commit, r.State);
        Assert.Equal(Errno.Ok, r.CommitStore("off"));
        Assert.Equal(CxlRegionState.Active, r.State);
    }
}
