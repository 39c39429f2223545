using Coherence.Checking.Litmus;
using Coherence.Checking.Strategies;

namespace Coherence.Checking.Tests.Litmus;

public class ReplayTests
{
    private const string Sb = LitmusHarness.Sb;

    [Fact]
    public void A_witness_token_replays_to_the_same_trace_and_state()
    {
        var r = LitmusHarness.Check(Sb);
        var witness = r.Conditions[0].Witness!;
        var token = ReplayToken.Encode(witness.Witness);
        Assert.True(ReplayToken.TryDecode(token, out var decisions, out _));
        var (trace1, e1) = LitmusChecker.Trace(r.Program, decisions);
        var (trace2, e2) = LitmusChecker.Trace(r.Program, decisions);
        Assert.Null(e1);
        Assert.Null(e2);
        Assert.Equal(trace1, trace2);
        Assert.Contains(trace1, l => l.Contains("P0: MOV [x],$1", StringComparison.Ordinal));

        // Re-run the execution and read its final state: it is the witness's state.
        var outcomes = new LitmusOutcomes();
        var (exec, error) = Explorer.Replay(c => new LitmusExecution(r.Program, (ExplorationChooser)c, outcomes), decisions, 1000);
        Assert.Null(error);
        while (exec!.Options > 0)
        {
            exec.Take(0);
        }
        exec.Finish();
        var final = Assert.Single(outcomes.Finals);
        Assert.Equal(witness.Values, final.Values);
    }

    [Fact]
    public void Every_witness_of_a_violation_replays_to_a_state_that_violates()
    {
        var r = LitmusHarness.Check(Sb.Replace("X86 SB", "X86 SB\nExpected=Forbidden", StringComparison.Ordinal));
        Assert.False(r.Passed);
        var w = r.Conditions[0].Witness!;
        Assert.True(r.Conditions[0].Condition.Body.Eval(o => w.Values[r.Program.Observables.ToList().FindIndex(x => x.Name == o.Name)]));
    }

    [Fact]
    public void A_token_that_does_not_fit_the_test_is_refused_with_the_step()
    {
        var program = LitmusHarness.Program(Sb);
        var (_, error) = LitmusChecker.Trace(program, [9, 9, 9]);
        Assert.NotNull(error);
        Assert.Contains("decision 0", error);
        var (_, tooLong) = LitmusChecker.Trace(program, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Contains("ended after", tooLong);
    }

    [Theory]
    [InlineData("x1.2.0.0", "starts with 'c1.'")]
    [InlineData("c1.3.0.0", "says it has 3")]
    [InlineData("c1.1.$", "not a base-36")]
    public void Malformed_tokens_are_explained(string token, string expected)
    {
        Assert.False(ReplayToken.TryDecode(token, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Tokens_round_trip()
    {
        Decision[] d = [new(0, 2), new(35, 40), new(36, 50), new(1295, 2000)];
        Assert.True(ReplayToken.TryDecode(ReplayToken.Encode(d), out var back, out _));
        Assert.Equal([0, 35, 36, 1295], back);
    }
}
