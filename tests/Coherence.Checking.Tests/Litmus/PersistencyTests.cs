using Coherence.Checking.Litmus;

namespace Coherence.Checking.Tests.Litmus;

/// <summary>Crash-state sets against the Px86 model (Raad, Wickerson, Neiger, Vafeiadis, POPL 2020) and, for
/// non-temporal stores, Raad, Maranget and Vafeiadis (POPL 2022).</summary>
public class PersistencyTests
{
    private static string Test(string body, string info = "") => $$"""
        X86 T
        {{info}}
        { x=0; y=0; }
         P0 ;
        {{body}}
        crash exists (x=0 /\ y=1)
        """;

    [Fact]
    public void Unflushed_stores_to_different_lines_persist_in_any_combination()
    {
        var r = LitmusHarness.Check(Test(" MOV [x],$1 ;\n MOV [y],$1 ;"));
        Assert.Equal(["x=0 y=0", "x=0 y=1", "x=1 y=0", "x=1 y=1"], LitmusHarness.Crashes(r));
    }

    [Fact]
    public void Clwb_then_sfence_orders_persistence_before_the_later_store()
    {
        var r = LitmusHarness.Check(Test(" MOV [x],$1 ;\n CLWB [x]   ;\n SFENCE     ;\n MOV [y],$1 ;"));
        Assert.Equal(["x=0 y=0", "x=1 y=0", "x=1 y=1"], LitmusHarness.Crashes(r));
        Assert.Equal(Verdict.Forbidden, r.Conditions[0].Verdict);
    }

    [Theory]
    [InlineData("CLWB [x]")]
    [InlineData("CLFLUSHOPT [x]")]
    public void Optimised_flush_without_a_fence_does_not_order(string flush)
    {
        var r = LitmusHarness.Check(Test($" MOV [x],$1 ;\n {flush} ;\n MOV [y],$1 ;"));
        Assert.Contains("x=0 y=1", LitmusHarness.Crashes(r));
    }

    [Fact]
    public void Clflush_orders_without_a_fence()
    {
        var r = LitmusHarness.Check(Test(" MOV [x],$1 ;\n CLFLUSH [x] ;\n MOV [y],$1 ;"));
        Assert.DoesNotContain("x=0 y=1", LitmusHarness.Crashes(r));
        Assert.Contains("x=1 y=1", LitmusHarness.Crashes(r));
    }

    [Fact]
    public void Stores_to_one_line_persist_in_order()
    {
        var r = LitmusHarness.Check(Test(" MOV [x],$1 ;\n MOV [y],$1 ;", "CacheLine=x y"));
        Assert.Equal(["x=0 y=0", "x=1 y=0", "x=1 y=1"], LitmusHarness.Crashes(r));
    }

    [Fact]
    public void Under_eadr_persistence_follows_visibility()
    {
        var r = LitmusHarness.Check(Test(" MOV [x],$1 ;\n MOV [y],$1 ;", "Persistence=eADR"));
        Assert.Equal(["x=0 y=0", "x=1 y=0", "x=1 y=1"], LitmusHarness.Crashes(r));
    }

    [Fact]
    public void Non_temporal_store_is_unordered_until_sfence()
    {
        var nt = LitmusHarness.Check(Test(" MOV EAX,$1   ;\n MOVNTI [x],EAX ;\n MOV [y],$1 ;"));
        Assert.Contains("x=0 y=1", LitmusHarness.Crashes(nt));
        var fenced = LitmusHarness.Check(Test(" MOV EAX,$1   ;\n MOVNTI [x],EAX ;\n SFENCE ;\n MOV [y],$1 ;"));
        Assert.DoesNotContain("x=0 y=1", LitmusHarness.Crashes(fenced));
        Assert.Contains("x=1 y=1", LitmusHarness.Crashes(fenced));
    }

    [Fact]
    public void A_reader_that_flushes_what_it_saw_makes_it_durable_before_its_own_store()
    {
        var r = LitmusHarness.Check("""
            X86 ReaderFlush
            { x=0; y=0; }
             P0         | P1          ;
             MOV [x],$1 | MOV EAX,[x] ;
                        | CLFLUSH [x] ;
                        | MOV [y],EAX ;
            crash exists (x=0 /\ y=1)
            """);
        Assert.DoesNotContain("x=0 y=1", LitmusHarness.Crashes(r));
        Assert.Contains("x=1 y=1", LitmusHarness.Crashes(r));
    }

    [Fact]
    public void Crash_states_include_the_initial_state_and_every_prefix()
    {
        var r = LitmusHarness.Check(Test(" MOV [x],$1 ;\n CLFLUSH [x] ;\n MOV [x],$2 ;\n CLFLUSH [x] ;"));
        Assert.Equal(["x=0 y=0", "x=1 y=0", "x=2 y=0"], LitmusHarness.Crashes(r));
    }
}
