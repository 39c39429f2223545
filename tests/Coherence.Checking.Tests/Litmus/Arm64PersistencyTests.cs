using Coherence.Checking.Litmus;

namespace Coherence.Checking.Tests.Litmus;

/// <summary>
/// Complete crash-state sets of the Armv8 persistency idioms: DC CVAP is ordered after the thread's earlier accesses
/// to the line, and guarantees persistence only once a later DSB completes it (Raad, Wickerson, Vafeiadis,
/// OOPSLA 2019; Cho, Lee, Raad, Kang, PLDI 2021).
/// </summary>
public class Arm64PersistencyTests
{
    private static string Writer(string between, string info = "") => $$"""
        AArch64 T
        {{info}}
        { 0:X1=x; 0:X3=y; }
         P0          ;
         MOV W0,#1   ;
         STR W0,[X1] ;
        {{between}}
         MOV W2,#1   ;
         STR W2,[X3] ;
        crash exists (x=0 /\ y=1)
        """;

    private static readonly string[] Every = ["x=0 y=0", "x=0 y=1", "x=1 y=0", "x=1 y=1"];
    private static readonly string[] Ordered = ["x=0 y=0", "x=1 y=0", "x=1 y=1"];

    private static LitmusReport Check(string source)
    {
        var r = LitmusHarness.Check(source);
        Assert.True(r.Stats.Complete, r.Stats.StopReason);
        return r;
    }

    [Theory]
    [InlineData(" DC CVAP,X1 ;\n DSB SY ;")]
    [InlineData(" DC CVAP X1 ;\n DSB ST ;")]
    [InlineData(" DC CVAC,X1 ;\n DSB SY ;")]
    [InlineData(" DC CIVAC,X1 ;\n DSB SY ;")]
    [InlineData(" DC CVAP,X1 ;\n DMB SY ;\n DSB ISH ;")]
    public void Clean_then_dsb_persists_the_data_before_the_commit_store(string between)
    {
        var r = Check(Writer(between));
        Assert.Equal(Ordered, LitmusHarness.Crashes(r));
        Assert.Equal(Verdict.Forbidden, r.Conditions[0].Verdict);
    }

    [Theory]
    [InlineData(" NOP ;")]
    [InlineData(" DC CVAP,X1 ;")]
    [InlineData(" DC CVAP,X1 ;\n DMB SY ;")]
    [InlineData(" DC CVAP,X1 ;\n DSB LD ;")]
    [InlineData(" DSB SY ;\n DC CVAP,X1 ;")]
    public void Without_a_completing_dsb_after_the_clean_the_commit_may_persist_first(string between)
    {
        var r = Check(Writer(between));
        Assert.Equal(Every, LitmusHarness.Crashes(r));
        Assert.Equal(Verdict.Allowed, r.Conditions[0].Verdict);
    }

    [Fact]
    public void Under_eadr_what_is_visible_survives_so_dmb_st_suffices()
    {
        Assert.Equal(Ordered, LitmusHarness.Crashes(Check(Writer(" DMB ST ;", "Persistence=eADR"))));
        Assert.Equal(Every, LitmusHarness.Crashes(Check(Writer(" NOP ;", "Persistence=eADR"))));
    }

    [Fact]
    public void Stores_to_one_line_persist_in_their_propagation_order()
    {
        Assert.Equal(Every, LitmusHarness.Crashes(Check(Writer(" NOP ;", "CacheLine=x y"))));
        Assert.Equal(Ordered, LitmusHarness.Crashes(Check(Writer(" DMB ST ;", "CacheLine=x y"))));
    }

    private static string Reader(string flush) => $$"""
        AArch64 Reader
        {
        0:X1=x;
        1:X1=x; 1:X3=y;
        }
         P0          | P1          ;
         MOV W0,#1   | LDR W0,[X1] ;
         STR W0,[X1] | CBZ W0,L0   ;
        {{flush}}
                     | MOV W2,#1   ;
                     | STR W2,[X3] ;
                     | L0:         ;
        crash exists (x=0 /\ y=1)
        """;

    [Fact]
    public void A_reader_that_cleans_what_it_observed_and_waits_persists_it_first()
    {
        var r = Check(Reader("             | DC CVAP,X1  ;\n             | DSB SY      ;"));
        Assert.Equal(Ordered, LitmusHarness.Crashes(r));
    }

    [Theory]
    [InlineData("             | NOP         ;")]
    [InlineData("             | DC CVAP,X1  ;")]
    [InlineData("             | DSB SY      ;")]
    public void A_reader_that_does_not_clean_and_wait_may_publish_before_the_data_persists(string flush)
    {
        var r = Check(Reader(flush));
        Assert.Equal(Every, LitmusHarness.Crashes(r));
    }

    [Fact]
    public void Dc_zva_zeroes_the_line_as_a_store()
    {
        var r = Check("""
            AArch64 ZVA
            CacheLine=x y
            { x=5; y=6; 0:X1=x; }
             P0          ;
             DC ZVA,X1   ;
            exists (x=0 /\ y=0)
            crash exists (x=0 /\ y=6)
            """);
        Assert.Equal(Verdict.Allowed, r.Conditions[0].Verdict);
        Assert.Equal(["x=0 y=0", "x=0 y=6", "x=5 y=6"], LitmusHarness.Crashes(r));
    }

    [Fact]
    public void Crash_witnesses_replay_to_their_state()
    {
        var program = LitmusHarness.Program(Writer(" DC CVAP,X1 ;"));
        var r = LitmusChecker.Check(program, new());
        var witness = r.Conditions[0].Witness!;
        var (trace, error) = LitmusChecker.Trace(program, [.. witness.Witness.Select(d => d.Chosen)]);
        Assert.Null(error);
        Assert.Contains(trace, l => l.Contains("STR W2,[X3]", StringComparison.Ordinal));
    }
}
