using Coherence.Checking.Litmus;
using Coherence.Checking.Strategies;
using Coherence.Text.Litmus.Lowering;
using Coherence.Text.Litmus.Parsing;

namespace Coherence.Checking.Tests.Litmus;

/// <summary>Parses, lowers and checks litmus source text; renders state sets as sorted strings.</summary>
internal static class LitmusHarness
{
    /// <summary>Store buffering, the test most of these tests start from.</summary>
    public const string Sb = """
        X86 SB
        { x=0; y=0; }
         P0          | P1          ;
         MOV [x],$1  | MOV [y],$1  ;
         MOV EAX,[y] | MOV EAX,[x] ;
        exists (0:EAX=0 /\ 1:EAX=0)
        """;

    public static LitmusProgram Program(string source)
    {
        var parsed = LitmusParser.Parse(source, "test.litmus");
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        var (program, diagnostics) = LitmusLowering.Lower(parsed.Test!);
        Assert.True(program is not null, string.Join("\n", diagnostics));
        return program!;
    }

    public static LitmusReport Check(string source, ExplorationOptions? options = null) =>
        LitmusChecker.Check(Program(source), options ?? new ExplorationOptions());

    public static string[] Finals(LitmusReport r) =>
        [.. r.Outcomes.Finals.Select(s => string.Join(" ", r.Program.Observables.Select((o, i) => $"{o.Name}={s.Values[i]}"))).Order(StringComparer.Ordinal)];

    public static string[] Crashes(LitmusReport r) =>
        [.. r.Outcomes.Crashes.Select(s => string.Join(" ", r.Program.CrashLocations.Select((l, i) => $"{r.Program.Locations[l].Name}={s.Values[i]}"))).Order(StringComparer.Ordinal)];
}
