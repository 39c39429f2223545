using Coherence.Checking.Litmus;

namespace Coherence.Checking.Tests.Litmus;

/// <summary>
/// Exact final-state sets of the herd7 AArch64 catalogue shapes under the Armv8 model (aarch64.cat; the engine is
/// Promising-Arm, proved equivalent to it). Each test lists every state the architecture allows for the shape.
/// </summary>
public class Arm64OrderingTests
{
    private const string Two = "{\n0:X1=x; 0:X3=y;\n1:X1=y; 1:X3=x;\n}\n";

    private static LitmusReport Check(string source)
    {
        var r = LitmusHarness.Check(source);
        Assert.True(r.Stats.Complete, r.Stats.StopReason);
        return r;
    }

    private static string[] All(string a, string b) => [$"{a}=0 {b}=0", $"{a}=0 {b}=1", $"{a}=1 {b}=0", $"{a}=1 {b}=1"];

    private static string[] Without(string[] states, string missing) => [.. states.Where(s => s != missing)];

    [Theory]
    // MP: both pairs relaxed; every combination.
    [InlineData("MP", " MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | LDR W2,[X3] ;\n MOV W2,#1 | ;\n STR W2,[X3] | ;\n", true)]
    // MP+dmbs: DMB SY on both sides.
    [InlineData("MP+dmbs", " MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | DMB SY ;\n DMB SY | LDR W2,[X3] ;\n MOV W2,#1 | ;\n STR W2,[X3] | ;\n", false)]
    // MP+dmb.st+addr: DMB ST orders the writes, an address dependency (EOR, then SXTW index) the reads.
    [InlineData("MP+dmb.st+addr", " MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | EOR W4,W0,W0 ;\n DMB ST | LDR W2,[X3,W4,SXTW] ;\n MOV W2,#1 | ;\n STR W2,[X3] | ;\n", false)]
    // MP+popl+poap: STLR publishes, LDAR acquires.
    [InlineData("MP+popl+poap", " MOV W0,#1 | LDAR W0,[X1] ;\n STR W0,[X1] | LDR W2,[X3] ;\n MOV W2,#1 | ;\n STLR W2,[X3] | ;\n", false)]
    // LDAPR (RCpc) acquires as well.
    [InlineData("MP+popl+poapc", " MOV W0,#1 | LDAPR W0,[X1] ;\n STR W0,[X1] | LDR W2,[X3] ;\n MOV W2,#1 | ;\n STLR W2,[X3] | ;\n", false)]
    // A release alone is not enough: the reads are unordered.
    [InlineData("MP+popl+po", " MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | LDR W2,[X3] ;\n MOV W2,#1 | ;\n STLR W2,[X3] | ;\n", true)]
    // MP+dmb.sy+ctrl: a control dependency does not order a later read.
    [InlineData("MP+dmb.sy+ctrl", " MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | CBNZ W0,L0 ;\n DMB SY | L0: ;\n MOV W2,#1 | LDR W2,[X3] ;\n STR W2,[X3] | ;\n", true)]
    // MP+dmb.sy+ctrlisb: ... but with an ISB after the branch it does.
    [InlineData("MP+dmb.sy+ctrlisb", " MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | CBNZ W0,L0 ;\n DMB SY | L0: ;\n MOV W2,#1 | ISB ;\n STR W2,[X3] | LDR W2,[X3] ;\n", false)]
    // DMB LD orders the reads.
    [InlineData("MP+dmb.sy+dmb.ld", " MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | DMB LD ;\n DMB SY | LDR W2,[X3] ;\n MOV W2,#1 | ;\n STR W2,[X3] | ;\n", false)]
    // DMB LD does not order the writes.
    [InlineData("MP+dmb.ld+dmb.sy", " MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | DMB SY ;\n DMB LD | LDR W2,[X3] ;\n MOV W2,#1 | ;\n STR W2,[X3] | ;\n", true)]
    public void Message_passing(string name, string rows, bool relaxed)
    {
        var r = Check($"AArch64 {name}\n{Two} P0 | P1 ;\n{rows}exists (1:X0=1 /\\ 1:X2=0)\n");
        var all = All("1:X0", "1:X2");
        Assert.Equal(relaxed ? all : Without(all, "1:X0=1 1:X2=0"), LitmusHarness.Finals(r));
        Assert.Equal(relaxed ? Verdict.Allowed : Verdict.Forbidden, r.Conditions[0].Verdict);
    }

    [Theory]
    [InlineData("SB", "", true)]
    [InlineData("SB+dmbs", " DMB SY | DMB SY ;\n", false)]
    [InlineData("SB+dmb.sts", " DMB ST | DMB ST ;\n", true)]
    [InlineData("SB+dsbs", " DSB SY | DSB SY ;\n", false)]
    public void Store_buffering(string name, string barrier, bool relaxed)
    {
        var r = Check($"AArch64 {name}\n{Two} P0 | P1 ;\n MOV W0,#1 | MOV W0,#1 ;\n STR W0,[X1] | STR W0,[X1] ;\n{barrier} LDR W2,[X3] | LDR W2,[X3] ;\nexists (0:X2=0 /\\ 1:X2=0)\n");
        var all = All("0:X2", "1:X2");
        Assert.Equal(relaxed ? all : Without(all, "0:X2=0 1:X2=0"), LitmusHarness.Finals(r));
    }

    [Theory]
    // LB: a store may be performed before an earlier load of another location (promises).
    [InlineData("LB", " LDR W0,[X1] | LDR W0,[X1] ;\n MOV W2,#1 | MOV W2,#1 ;\n STR W2,[X3] | STR W2,[X3] ;\n", true)]
    // LB+datas: the stored value depends on the loaded one: no thin-air values.
    [InlineData("LB+datas", " LDR W0,[X1] | LDR W0,[X1] ;\n EOR W2,W0,W0 | EOR W2,W0,W0 ;\n ADD W2,W2,#1 | ADD W2,W2,#1 ;\n STR W2,[X3] | STR W2,[X3] ;\n", false)]
    // LB+ctrls: stores after a branch on the loaded value are not speculated.
    [InlineData("LB+ctrls", " LDR W0,[X1] | LDR W0,[X1] ;\n CBNZ W0,L0 | CBNZ W0,L1 ;\n L0: | L1: ;\n MOV W2,#1 | MOV W2,#1 ;\n STR W2,[X3] | STR W2,[X3] ;\n", false)]
    // LB+addrs: the store's address depends on the load.
    [InlineData("LB+addrs", " LDR W0,[X1] | LDR W0,[X1] ;\n EOR W4,W0,W0 | EOR W4,W0,W0 ;\n MOV W2,#1 | MOV W2,#1 ;\n STR W2,[X3,W4,SXTW] | STR W2,[X3,W4,SXTW] ;\n", false)]
    // LB+dmbs.
    [InlineData("LB+dmbs", " LDR W0,[X1] | LDR W0,[X1] ;\n DMB SY | DMB SY ;\n MOV W2,#1 | MOV W2,#1 ;\n STR W2,[X3] | STR W2,[X3] ;\n", false)]
    // LB+popls: release stores wait for earlier loads.
    [InlineData("LB+popls", " LDR W0,[X1] | LDR W0,[X1] ;\n MOV W2,#1 | MOV W2,#1 ;\n STLR W2,[X3] | STLR W2,[X3] ;\n", false)]
    // LB+data+po: one side relaxed is enough.
    [InlineData("LB+data+po", " LDR W0,[X1] | LDR W0,[X1] ;\n EOR W2,W0,W0 | MOV W2,#1 ;\n ADD W2,W2,#1 | STR W2,[X3] ;\n STR W2,[X3] | ;\n", true)]
    public void Load_buffering(string name, string rows, bool relaxed)
    {
        var r = Check($"AArch64 {name}\n{Two} P0 | P1 ;\n{rows}exists (0:X0=1 /\\ 1:X0=1)\n");
        var all = All("0:X0", "1:X0");
        Assert.Equal(relaxed ? all : Without(all, "0:X0=1 1:X0=1"), LitmusHarness.Finals(r));
    }

    private const string Wrc = """
        AArch64 WRC
        {
        0:X1=x;
        1:X1=x; 1:X4=y;
        2:X1=y; 2:X4=x;
        }
         P0          | P1          | P2          ;
         MOV W0,#1   | LDR W0,[X1] | LDR W0,[X1] ;
         STR W0,[X1] | EOR W2,W0,W0 | EOR W2,W0,W0 ;
                     | MOV W3,#1   | LDR W3,[X4,W2,SXTW] ;
                     | STR W3,[X4,W2,SXTW] | ;
        exists (1:X0=1 /\ 2:X0=1 /\ 2:X3=0)
        """;

    private static string[] Three(string a, string b, string c) =>
        [.. from x in new[] { 0, 1 } from y in new[] { 0, 1 } from z in new[] { 0, 1 } select $"{a}={x} {b}={y} {c}={z}"];

    [Fact]
    public void Wrc_with_addresses_is_forbidden_by_multicopy_atomicity()
    {
        var r = Check(Wrc);
        Assert.Equal(Without(Three("1:X0", "2:X0", "2:X3"), "1:X0=1 2:X0=1 2:X3=0"), LitmusHarness.Finals(r));
    }

    [Fact]
    public void Wrc_without_dependencies_allows_everything()
    {
        var plain = Wrc.Replace("EOR W2,W0,W0", "NOP", StringComparison.Ordinal).Replace("MOV W3,#1   | LDR W3,[X4,W2,SXTW]", "MOV W3,#1   | LDR W3,[X4]", StringComparison.Ordinal)
            .Replace("STR W3,[X4,W2,SXTW]", "STR W3,[X4]", StringComparison.Ordinal);
        var r = Check(plain);
        Assert.Equal(Three("1:X0", "2:X0", "2:X3"), LitmusHarness.Finals(r));
    }

    private const string Iriw = """
        AArch64 IRIW
        {
        0:X1=x;
        1:X1=x; 1:X4=y;
        2:X1=y;
        3:X1=y; 3:X4=x;
        }
         P0          | P1           | P2          | P3           ;
         MOV W0,#1   | LDR W0,[X1]  | MOV W0,#1   | LDR W0,[X1]  ;
         STR W0,[X1] | EOR W2,W0,W0 | STR W0,[X1] | EOR W2,W0,W0 ;
                     | LDR W3,[X4,W2,SXTW] |      | LDR W3,[X4,W2,SXTW] ;
        exists (1:X0=1 /\ 1:X3=0 /\ 3:X0=1 /\ 3:X3=0)
        """;

    private static string[] Four() =>
        [.. from a in new[] { 0, 1 } from b in new[] { 0, 1 } from c in new[] { 0, 1 } from d in new[] { 0, 1 }
            select $"1:X0={a} 1:X3={b} 3:X0={c} 3:X3={d}"];

    [Fact]
    public void Iriw_with_addresses_is_forbidden_under_other_multicopy_atomicity()
    {
        var r = Check(Iriw);
        Assert.Equal(Without(Four(), "1:X0=1 1:X3=0 3:X0=1 3:X3=0"), LitmusHarness.Finals(r));
        Assert.Equal(Verdict.Forbidden, r.Conditions[0].Verdict);
    }

    [Fact]
    public void Iriw_without_dependencies_allows_every_outcome()
    {
        var r = Check(Iriw.Replace("LDR W3,[X4,W2,SXTW]", "LDR W3,[X4]", StringComparison.Ordinal));
        Assert.Equal(Four(), LitmusHarness.Finals(r));
    }

    [Fact]
    public void S_lets_the_read_to_write_pair_reorder()
    {
        var r = Check($"AArch64 S\n{Two} P0 | P1 ;\n MOV W0,#2 | LDR W0,[X1] ;\n STR W0,[X1] | MOV W2,#1 ;\n MOV W2,#1 | STR W2,[X3] ;\n STR W2,[X3] | ;\nexists (x=2 /\\ 1:X0=1)\n");
        Assert.Equal(["x=1 1:X0=0", "x=1 1:X0=1", "x=2 1:X0=0", "x=2 1:X0=1"], LitmusHarness.Finals(r));
    }

    [Fact]
    public void S_with_dmb_and_data_dependency_is_forbidden()
    {
        var r = Check($"AArch64 S+dmb.sy+data\n{Two} P0 | P1 ;\n MOV W0,#2 | LDR W0,[X1] ;\n STR W0,[X1] | EOR W2,W0,W0 ;\n DMB SY | ADD W2,W2,#1 ;\n MOV W2,#1 | STR W2,[X3] ;\n STR W2,[X3] | ;\nexists (x=2 /\\ 1:X0=1)\n");
        Assert.Equal(["x=1 1:X0=0", "x=1 1:X0=1", "x=2 1:X0=0"], LitmusHarness.Finals(r));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(" DMB SY | DMB SY ;\n", false)]
    public void R_with_and_without_barriers(string barrier, bool relaxed)
    {
        var r = Check($"AArch64 R\n{Two} P0 | P1 ;\n MOV W0,#1 | MOV W0,#2 ;\n STR W0,[X1] | STR W0,[X1] ;\n{barrier} MOV W2,#1 | LDR W2,[X3] ;\n STR W2,[X3] | ;\nexists (y=2 /\\ 1:X2=0)\n");
        string[] all = ["y=1 1:X2=0", "y=1 1:X2=1", "y=2 1:X2=0", "y=2 1:X2=1"];
        Assert.Equal(relaxed ? all : Without(all, "y=2 1:X2=0"), LitmusHarness.Finals(r));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(" DMB SY | DMB SY ;\n", false)]
    [InlineData(" DMB ST | DMB ST ;\n", false)]
    public void Two_plus_two_writes(string barrier, bool relaxed)
    {
        var r = Check($"AArch64 2+2W\n{Two} P0 | P1 ;\n MOV W0,#1 | MOV W0,#1 ;\n STR W0,[X1] | STR W0,[X1] ;\n{barrier} MOV W2,#2 | MOV W2,#2 ;\n STR W2,[X3] | STR W2,[X3] ;\nexists (x=1 /\\ y=1)\n");
        string[] all = ["x=1 y=1", "x=1 y=2", "x=2 y=1", "x=2 y=2"];
        Assert.Equal(relaxed ? all : Without(all, "x=1 y=1"), LitmusHarness.Finals(r));
    }

    [Fact]
    public void Coherence_of_read_read_pairs_holds_without_barriers()
    {
        var r = Check("AArch64 CoRR\n{ 0:X1=x; 1:X1=x; }\n P0 | P1 ;\n MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | LDR W2,[X1] ;\nexists (1:X0=1 /\\ 1:X2=0)\n");
        Assert.Equal(["1:X0=0 1:X2=0", "1:X0=0 1:X2=1", "1:X0=1 1:X2=1"], LitmusHarness.Finals(r));
    }

    [Theory]
    // The store to z does not depend on the read of y, and reading one's own write (rfi) orders nothing: allowed.
    [InlineData(" MOV W2,#1           ;\n", Verdict.Allowed)]
    // With a data dependency into the store, data;rfi is in Armv8's ordered-before: forwarding passes the store's
    // dependency on to the read of z, and the address dependency on to the read of x: forbidden.
    [InlineData(" EOR W2,W0,W0       ;\n ADD W2,W2,#1       ;\n", Verdict.Forbidden)]
    public void Forwarding_from_own_store_carries_the_store_dependencies(string makeValue, Verdict expected)
    {
        var rows = " MOV W0,#1   | LDR W0,[X1]         ;\n STR W0,[X1] |                     ;\n DMB SY      |                     ;\n MOV W2,#1   |                     ;\n STR W2,[X3] |                     ;\n";
        var p1 = makeValue.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "             | " + l.Trim()).ToList();
        p1.AddRange(["             | STR W2,[X3]         ;", "             | LDR W4,[X3]         ;", "             | EOR W6,W4,W4        ;", "             | LDR W7,[X5,W6,SXTW] ;"]);
        var r = Check("AArch64 MP+dmb.sy+rfi-addr\n{\n0:X1=x; 0:X3=y;\n1:X1=y; 1:X3=z; 1:X5=x;\n}\n P0          | P1 ;\n" + rows
            + string.Join("\n", p1) + "\nexists (1:X0=1 /\\ 1:X7=0)\n");
        Assert.Equal(expected, r.Conditions[0].Verdict);
    }

    [Fact]
    public void Exclusive_pairs_are_atomic_and_may_fail()
    {
        var r = Check("""
            AArch64 LDXR-STXR
            { 0:X1=x; 1:X1=x; }
             P0              | P1              ;
             LDXR W0,[X1]    | LDXR W0,[X1]    ;
             ADD W2,W0,#1    | ADD W2,W0,#1    ;
             STXR W4,W2,[X1] | STXR W4,W2,[X1] ;
            exists (0:X4=0 /\ 1:X4=0 /\ x=1)
            """);
        Assert.Equal(["x=0 0:X4=1 1:X4=1", "x=1 0:X4=0 1:X4=1", "x=1 0:X4=1 1:X4=0", "x=2 0:X4=0 1:X4=0"],
            [.. LitmusHarness.Finals(r).Select(Reorder).Order(StringComparer.Ordinal)]);
        Assert.Equal(Verdict.Forbidden, r.Conditions[0].Verdict);
        static string Reorder(string s)
        {
            var parts = s.Split(' ');
            return string.Join(' ', parts.Where(p => p.StartsWith('x')).Concat(parts.Where(p => !p.StartsWith('x'))));
        }
    }

    [Fact]
    public void W_registers_zero_extend_and_xzr_reads_zero()
    {
        var r = Check("""
            AArch64 Regs
            { 0:X0=-1; 0:X5=7; }
             P0           ;
             MOV W1,W0    ;
             ADD X2,XZR,#3 ;
             SUB W3,WZR,#1 ;
             MOV X5,XZR   ;
             CMP W1,#0    ;
             B.LT L0      ;
             MOV X6,#9    ;
             L0:          ;
            exists (0:X1=4294967295 /\ 0:X2=3 /\ 0:X3=4294967295 /\ 0:X5=0 /\ 0:X6=0)
            """);
        Assert.Equal(["0:X1=4294967295 0:X2=3 0:X3=4294967295 0:X5=0 0:X6=0"], LitmusHarness.Finals(r));
    }

    [Fact]
    public void A_herd_catalogue_file_runs_unchanged()
    {
        // Laid out as diy7 writes catalogue tests: info lines, one init item per register, padded columns.
        var r = Check("""
            AArch64 MP+dmb.sy+addr
            "DMB.SYdWW Rfe DpAddrdR Fre"
            Generator=diyone7 (version 7.56)
            Prefetch=0:x=F,0:y=W,1:y=F,1:x=T
            Com=Rf Fr
            Orig=DMB.SYdWW Rfe DpAddrdR Fre
            {
            0:X1=x; 0:X3=y;
            1:X1=y; 1:X4=x;
            }
             P0          | P1                  ;
             MOV W0,#1   | LDR W0,[X1]         ;
             STR W0,[X1] | EOR W2,W0,W0        ;
             DMB SY      | LDR W3,[X4,W2,SXTW] ;
             MOV W2,#1   |                     ;
             STR W2,[X3] |                     ;
            exists
            (1:X0=1 /\ 1:X3=0)
            """);
        Assert.Equal(["1:X0=0 1:X3=0", "1:X0=0 1:X3=1", "1:X0=1 1:X3=1"], LitmusHarness.Finals(r));
    }
}
