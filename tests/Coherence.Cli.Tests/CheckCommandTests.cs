using System.Text.Json;

namespace Coherence.Cli.Tests;

public class CheckCommandTests
{
    private const string SbForbidden = """
        X86 SB-claimed-forbidden
        Expected=Forbidden
        { x=0; y=0; }
         P0          | P1          ;
         MOV [x],$1  | MOV [y],$1  ;
         MOV EAX,[y] | MOV EAX,[x] ;
        exists (0:EAX=0 /\ 1:EAX=0)
        """;

    [Fact]
    public void Passing_litmus_test_exits_0_with_herd_style_output()
    {
        var (code, output, _) = CliRunner.Run("check", CliRunner.Example("litmus/x86/SB.litmus"));
        Assert.Equal(0, code);
        Assert.Contains("Test SB Allowed", output);
        Assert.Contains("States 4", output);
        Assert.Contains("Observation SB Sometimes 1 3", output);
        Assert.EndsWith("1 passed, 0 failed" + Environment.NewLine, output);
    }

    [Fact]
    public void Wrong_expectation_exits_1_with_a_counterexample_whose_token_replays_it()
    {
        var file = CliRunner.Temp("sb.litmus", SbForbidden);
        var (code, output, _) = CliRunner.Run("check", file);
        Assert.Equal(1, code);
        Assert.Contains("MISMATCH, the model says Allowed", output);
        var tokenLine = output.Split('\n').First(l => l.StartsWith("Counterexample for condition-1", StringComparison.Ordinal));
        var token = tokenLine[(tokenLine.IndexOf("--replay ", StringComparison.Ordinal) + 9)..tokenLine.IndexOf(')', StringComparison.Ordinal)];
        var (replayCode, replayed, _) = CliRunner.Run("check", file, "--replay", token);
        Assert.Equal(0, replayCode);
        var counterexample = output[(output.IndexOf(tokenLine, StringComparison.Ordinal) + tokenLine.Length)..].TrimStart('\r', '\n').Split('\n').TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim()).ToArray();
        var replayLines = replayed.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        Assert.NotEmpty(counterexample);
        Assert.Equal(counterexample, replayLines);
    }

    [Fact]
    public void Bad_replay_token_exits_2()
    {
        var (code, _, err) = CliRunner.Run("check", CliRunner.Example("litmus/x86/SB.litmus"), "--replay", "c1.3.7.7.7");
        Assert.Equal(2, code);
        Assert.Contains("replay diverged", err);
    }

    [Fact]
    public void Json_document_has_the_documented_shape()
    {
        var (code, output, _) = CliRunner.Run("check", CliRunner.Example("litmus/x86/persistency/CLWB+SFENCE.litmus"), CliRunner.Example("platform/stale-read-after-erase.scn"), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("coherence", root.GetProperty("tool").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        var results = root.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        string[] keys = ["file", "name", "kind", "status", "conditions", "finalStates", "crashStates", "executions", "states", "elapsedMs", "complete", "properties", "error"];
        foreach (var r in results.EnumerateArray())
        {
            Assert.Equal(keys, r.EnumerateObject().Select(p => p.Name).ToArray());
        }
        var litmus = results[0];
        Assert.Equal("litmus", litmus.GetProperty("kind").GetString());
        Assert.Equal("pass", litmus.GetProperty("status").GetString());
        var condition = litmus.GetProperty("conditions")[0];
        Assert.Equal(["text", "quantifier", "over", "satisfiedBy", "of", "ok", "expected"], condition.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("crash", condition.GetProperty("over").GetString());
        Assert.Equal("exists", condition.GetProperty("quantifier").GetString());
        Assert.Equal("Forbidden", condition.GetProperty("expected").GetString());
        Assert.Equal(0, condition.GetProperty("satisfiedBy").GetInt32());
        Assert.Equal(3, litmus.GetProperty("crashStates").GetArrayLength());
        Assert.True(litmus.GetProperty("complete").GetBoolean());
        Assert.Equal(JsonValueKind.Null, litmus.GetProperty("error").ValueKind);
        var property = litmus.GetProperty("properties")[0];
        Assert.Equal(["name", "policy", "violated", "trace", "replay"], property.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("scenario", results[1].GetProperty("kind").GetString());
    }

    [Fact]
    public void Parse_error_exits_2_with_file_line_and_column()
    {
        var file = CliRunner.Temp("bad.litmus", "X86 Bad\n{ x=0; }\n P0 ;\n MOV [x],$1 ;\nexists (x=1\n");
        var (code, _, err) = CliRunner.Run("check", file);
        Assert.Equal(2, code);
        Assert.Matches(@"bad\.litmus:\d+:\d+: ", err);
        var (jsonCode, json, _) = CliRunner.Run("check", file, "--json");
        Assert.Equal(2, jsonCode);
        using var doc = JsonDocument.Parse(json);
        var error = doc.RootElement.GetProperty("results")[0].GetProperty("error");
        Assert.True(error.GetProperty("line").GetInt32() > 0);
        Assert.Equal("error", doc.RootElement.GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Fact]
    public void Unsupported_instruction_is_a_located_error()
    {
        var file = CliRunner.Temp("nt.litmus", "X86 Nt\n{ x=0; }\n P0 ;\n MOVDIR64B [x],EAX ;\nexists (x=1)\n");
        var (code, _, err) = CliRunner.Run("check", file);
        Assert.Equal(2, code);
        Assert.Contains("nt.litmus:4:", err);
        Assert.Contains("cannot run 'MOVDIR64B'", err);
    }

    [Fact]
    public void Kinds_file_overrides_expectations()
    {
        var kinds = CliRunner.Temp("kinds.txt", "SB Forbidden\nMP Forbid\n");
        var (code, output, _) = CliRunner.Run("check", CliRunner.Example("litmus/x86/SB.litmus"), CliRunner.Example("litmus/x86/MP.litmus"), "--kinds", kinds);
        Assert.Equal(1, code);
        Assert.Contains("1 passed, 1 failed", output);
        var bad = CliRunner.Temp("kinds.txt", "SB Maybe\n");
        var (badCode, _, err) = CliRunner.Run("check", CliRunner.Example("litmus/x86/SB.litmus"), "--kinds", bad);
        Assert.Equal(2, badCode);
        Assert.Contains("kinds.txt:1:4: 'Maybe' is not a kind", err);
    }

    [Fact]
    public void Limits_mark_results_incomplete()
    {
        var (_, output, _) = CliRunner.Run("check", CliRunner.Example("litmus/x86/IRIW.litmus"), "--max-states", "10");
        Assert.Contains("INCOMPLETE: the state limit (10) was reached", output);
        var (_, json, _) = CliRunner.Run("check", CliRunner.Example("litmus/x86/IRIW.litmus"), "--max-states", "10", "--json");
        using var doc = JsonDocument.Parse(json);
        Assert.False(doc.RootElement.GetProperty("results")[0].GetProperty("complete").GetBoolean());
    }

    [Theory]
    [InlineData(new[] { "check" }, "Required argument missing")]
    [InlineData(new[] { "chek", "examples" }, "did you mean 'check'")]
    [InlineData(new[] { "check", "examples", "--strategy", "bfs" }, "'bfs' not recognized")]
    [InlineData(new[] { "check", "/no/such/path" }, "no such file or folder")]
    [InlineData(new[] { "check", "examples", "--max-states", "0" }, "must be positive")]
    public void Bad_command_lines_exit_2_with_a_message(string[] args, string expected)
    {
        var (code, _, err) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Version_and_help_work()
    {
        var (code, output, _) = CliRunner.Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
        var (helpCode, help, _) = CliRunner.Run("check", "--help");
        Assert.Equal(0, helpCode);
        Assert.Contains("--strategy <exhaustive|pct|plain|random>", help);
        Assert.Contains("--compare", help);
        Assert.Contains("--replay", help);
    }

    [Fact]
    public void The_main_job_passes_on_the_examples()
    {
        var (code, output, err) = CliRunner.Run("check", Path.Combine(CliRunner.Root, "examples"));
        Assert.True(code == 0, err + output[^Math.Min(2000, output.Length)..]);
        Assert.Matches(@"\d+ passed, 0 failed", output);
    }
}
