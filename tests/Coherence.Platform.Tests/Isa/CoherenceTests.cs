using Coherence.Platform.Caches;
using Coherence.Platform.Provenance;

namespace Coherence.Platform.Tests.Isa;

public class CoherenceTests
{
    private const ulong X = TestPlatform.Cxl + 0x1000;

    [Fact]
    public void Store_is_buffered_until_the_step_ends_then_dirty_in_l1()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 42);
        Assert.Equal(LineState.Modified, p.StateIn("cpu0.L1", X));
        Assert.NotEqual(42UL, p.Media64(X));
    }

    [Fact]
    public void Read_of_a_line_dirty_in_another_core_sees_the_store()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 42);
        Assert.Equal(42UL, p.Read64(1, X));
        Assert.Equal(LineState.Owned, p.StateIn("cpu0.L1", X));
        Assert.Equal(LineState.Shared, p.StateIn("cpu1.L1", X));
        p.AssertCoherenceInvariants();
    }

    [Fact]
    public void Write_invalidates_every_other_copy()
    {
        var p = new TestPlatform(sockets: 2, cores: 2);
        for (var c = 0; c < 4; c++)
        {
            p.Read64(c, X);
        }
        Assert.Equal(4, p.Machine.WhereCached(X).Count);
        p.Write64(3, X, 7);
        var where = Assert.Single(p.Machine.WhereCached(X));
        Assert.Equal(("cpu3.L1", LineState.Modified), where);
        for (var c = 0; c < 4; c++)
        {
            Assert.Equal(7UL, p.Read64(c, X));
        }
        p.AssertCoherenceInvariants();
    }

    [Fact]
    public void First_reader_holds_exclusive_and_victims_move_down_the_hierarchy()
    {
        var p = new TestPlatform();
        p.Read64(0, X);
        Assert.Equal(LineState.Exclusive, p.StateIn("cpu0.L1", X));
        // L1 is 4 KiB, 4 ways: 16 sets. Lines 0x400 apart map to one set; five of them evict the first.
        for (ulong i = 1; i <= 4; i++)
        {
            p.Read64(0, X + i * 0x400);
        }
        Assert.Equal(LineState.Invalid, p.StateIn("cpu0.L1", X));
        Assert.Equal(LineState.Exclusive, p.StateIn("cpu0.L2", X));
        // a hit in L2 moves the line back up
        p.Read64(0, X);
        Assert.Equal(LineState.Exclusive, p.StateIn("cpu0.L1", X));
        Assert.Equal(LineState.Invalid, p.StateIn("cpu0.L2", X));
        p.AssertCoherenceInvariants();
    }

    [Fact]
    public void Dirty_victim_from_the_llc_is_written_back()
    {
        var p = new TestPlatform(cores: 1);
        p.Write64(0, X, 99);
        // enough conflicting lines to push X out of L1 (4 ways), L2 (4 ways) and the LLC (8 ways) of one set each
        for (ulong i = 1; i <= 40; i++)
        {
            p.Read64(0, X + i * 0x2000);
        }
        Assert.Empty(p.Machine.WhereCached(X));
        Assert.Equal(99UL, p.Media64(X));
    }

    [Fact]
    public void Loads_report_the_origin_of_each_byte()
    {
        var p = new TestPlatform();
        p.Write64(0, X, 0x1111111111111111, tenant: "A");
        Assert.Equal(AccessOutcome.Ok, p.Cpu(1).StoreValue(X + 4, 2, 0x2222, "B"));
        var (value, origins) = p.Read64WithOrigins(0, X);
        Assert.Equal(0x1111222211111111UL, value);
        var o = p.Machine.Origins;
        Assert.Equal("A", o.TenantName(o[origins[0]].Tenant));
        Assert.Equal("B", o.TenantName(o[origins[4]].Tenant));
        Assert.Equal(1, o[origins[5]].Cpu);
        Assert.Equal(OriginKind.Store, o[origins[6]].Kind);
        var untouched = p.Read64WithOrigins(0, X + 8).Origins;
        Assert.Equal(OriginKind.Initial, o[untouched[0]].Kind);
        Assert.Equal(p.Cxl0.Index, o[untouched[0]].Device);
    }
}
