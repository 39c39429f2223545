using Coherence.Checking.Litmus;
using Coherence.Checking.Strategies;

namespace Coherence.Checking.Tests.Litmus;

public class TsoTests
{
    private const string Sb = LitmusHarness.Sb;

    [Fact]
    public void Sb_has_all_four_outcomes_store_buffering_included()
    {
        var r = LitmusHarness.Check(Sb);
        Assert.Equal(["0:EAX=0 1:EAX=0", "0:EAX=0 1:EAX=1", "0:EAX=1 1:EAX=0", "0:EAX=1 1:EAX=1"], LitmusHarness.Finals(r));
        Assert.True(r.Stats.Complete);
        Assert.Equal(Verdict.Allowed, r.Conditions[0].Verdict);
    }

    [Fact]
    public void Sb_with_mfences_loses_exactly_the_relaxed_outcome()
    {
        var r = LitmusHarness.Check(Sb.Replace("MOV [x],$1  | MOV [y],$1  ;", "MOV [x],$1  | MOV [y],$1  ;\n MFENCE      | MFENCE      ;", StringComparison.Ordinal));
        Assert.Equal(["0:EAX=0 1:EAX=1", "0:EAX=1 1:EAX=0", "0:EAX=1 1:EAX=1"], LitmusHarness.Finals(r));
    }

    [Fact]
    public void Mp_forbids_the_stale_read_after_the_flag()
    {
        var r = LitmusHarness.Check("""
            X86 MP
            { x=0; y=0; }
             P0         | P1          ;
             MOV [x],$1 | MOV EAX,[y] ;
             MOV [y],$1 | MOV EBX,[x] ;
            exists (1:EAX=1 /\ 1:EBX=0)
            """);
        Assert.Equal(["1:EAX=0 1:EBX=0", "1:EAX=0 1:EBX=1", "1:EAX=1 1:EBX=1"], LitmusHarness.Finals(r));
        Assert.Equal(Verdict.Forbidden, r.Conditions[0].Verdict);
    }

    [Fact]
    public void Two_plus_two_w_final_memory_never_keeps_both_first_stores()
    {
        var r = LitmusHarness.Check("""
            X86 2+2W
            { x=0; y=0; }
             P0         | P1         ;
             MOV [x],$1 | MOV [y],$1 ;
             MOV [y],$2 | MOV [x],$2 ;
            exists (x=1 /\ y=1)
            """);
        Assert.Equal(["x=1 y=2", "x=2 y=1", "x=2 y=2"], LitmusHarness.Finals(r));
    }

    [Fact]
    public void Locked_exchange_is_atomic_and_returns_the_old_value()
    {
        var r = LitmusHarness.Check("""
            X86 XCHG
            { x=0; 0:EAX=1; 1:EAX=2; }
             P0           | P1           ;
             XCHG [x],EAX | XCHG [x],EAX ;
            exists (0:EAX=0 /\ 1:EAX=0)
            """);
        Assert.Equal(["0:EAX=0 1:EAX=1", "0:EAX=2 1:EAX=0"], LitmusHarness.Finals(r));
    }

    [Fact]
    public void Branches_and_compares_run_thread_locally()
    {
        var r = LitmusHarness.Check("""
            X86 SpinFlag
            { x=0; y=0; }
             P0         | P1          ;
             MOV [x],$7 | MOV EAX,[y] ;
             MOV [y],$1 | CMP EAX,$1  ;
                        | JNE L0      ;
                        | MOV EBX,[x] ;
                        | L0:         ;
            exists (1:EAX=1 /\ 1:EBX=0)
            """);
        Assert.Equal(["1:EAX=0 1:EBX=0", "1:EAX=1 1:EBX=7"], LitmusHarness.Finals(r));
    }

    [Fact]
    public void Random_and_pct_find_store_buffering_and_are_reproducible()
    {
        foreach (var strategy in new[] { StrategyKind.Random, StrategyKind.Pct })
        {
            var options = new ExplorationOptions { Strategy = strategy, Seed = 7, Runs = 300 };
            var a = LitmusHarness.Check(Sb, options);
            var b = LitmusHarness.Check(Sb, options);
            Assert.Equal(LitmusHarness.Finals(a), LitmusHarness.Finals(b));
            Assert.Contains("0:EAX=0 1:EAX=0", LitmusHarness.Finals(a));
            Assert.False(a.Stats.Complete);
        }
    }

    [Fact]
    public void State_limit_ends_the_search_incomplete_with_a_reason()
    {
        var r = LitmusHarness.Check(Sb, new ExplorationOptions { MaxStates = 5 });
        Assert.False(r.Stats.Complete);
        Assert.Contains("state limit (5)", r.Stats.StopReason);
        Assert.Equal(5, r.Stats.States);
    }

    [Fact]
    public void Step_limit_ends_a_spinning_random_run()
    {
        var r = LitmusHarness.Check("""
            X86 Spin
            { x=0; }
             P0          ;
             L0:         ;
             MOV EAX,[x] ;
             CMP EAX,$0  ;
             JE L0       ;
            exists (0:EAX=1)
            """, new ExplorationOptions { Strategy = StrategyKind.Random, Runs = 2, MaxSteps = 50 });
        Assert.False(r.Stats.Complete);
        Assert.Contains("step limit (50)", r.Stats.StopReason);
    }

    [Fact]
    public void Exhaustive_search_of_a_spin_loop_terminates_by_state_hashing()
    {
        var r = LitmusHarness.Check("""
            X86 SpinWait
            { x=0; }
             P0         | P1          ;
             MOV [x],$1 | L0:         ;
                        | MOV EAX,[x] ;
                        | CMP EAX,$0  ;
                        | JE L0       ;
            exists (1:EAX=1)
            """);
        Assert.True(r.Stats.Complete);
        Assert.Equal(["1:EAX=1"], LitmusHarness.Finals(r));
    }
}
