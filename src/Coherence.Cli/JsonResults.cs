using System.Text;
using System.Text.Json;
using Coherence.Checking.Litmus;

namespace Coherence.Cli;

/// <summary>One file's result for <c>--json</c>.</summary>
internal sealed class FileResult
{
    public required string File { get; init; }

    public string Name { get; set; } = "";

    public required string Kind { get; init; }

    public string Status { get; set; } = "error";

    public LitmusReport? Litmus { get; set; }

    public List<PropertyResult> Properties { get; } = [];

    public long Executions { get; set; }

    public long States { get; set; }

    public long ElapsedMs { get; set; }

    public bool Complete { get; set; } = true;

    public (string Message, int Line, int Column)? Error { get; set; }
}

/// <summary>A property's verdict for <c>--json</c>.</summary>
/// <param name="Name">Its stable name.</param>
/// <param name="Policy">The policy it was judged under, or null.</param>
/// <param name="Violated">Whether it was violated.</param>
/// <param name="Trace">The counterexample's trace lines.</param>
/// <param name="Replay">The counterexample's replay token.</param>
internal sealed record PropertyResult(string Name, string? Policy, bool Violated, IReadOnlyList<string> Trace, string? Replay);

/// <summary>Writes the one JSON document of <c>check --json</c>.</summary>
internal static class JsonResults
{
    public static string Write(IEnumerable<FileResult> results, string version)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("tool", "coherence");
            w.WriteString("version", version);
            w.WriteStartArray("results");
            foreach (var r in results)
            {
                WriteResult(w, r);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteResult(Utf8JsonWriter w, FileResult r)
    {
        w.WriteStartObject();
        w.WriteString("file", r.File);
        w.WriteString("name", r.Name);
        w.WriteString("kind", r.Kind);
        w.WriteString("status", r.Status);
        w.WriteStartArray("conditions");
        if (r.Litmus is { } report)
        {
            foreach (var c in report.Conditions)
            {
                w.WriteStartObject();
                w.WriteString("text", c.Condition.Text);
                w.WriteString("quantifier", c.Condition.Quantifier switch
                {
                    ConditionQuantifier.Exists => "exists",
                    ConditionQuantifier.NotExists => "~exists",
                    _ => "forall",
                });
                w.WriteString("over", c.Condition.Scope == ConditionScope.Final ? "final" : "crash");
                w.WriteNumber("satisfiedBy", c.SatisfiedBy);
                w.WriteNumber("of", c.Of);
                w.WriteBoolean("ok", c.Ok);
                if (c.Expected is { } expected)
                {
                    w.WriteString("expected", expected.ToString());
                }
                else
                {
                    w.WriteNull("expected");
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteStartArray("finalStates");
        if (r.Litmus is { } lr)
        {
            foreach (var s in lr.Outcomes.Finals)
            {
                w.WriteStartObject();
                for (var i = 0; i < lr.Program.Observables.Count; i++)
                {
                    w.WriteNumber(lr.Program.Observables[i].Name, s.Values[i]);
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteStartArray("crashStates");
        if (r.Litmus is { } cr)
        {
            foreach (var s in cr.Outcomes.Crashes)
            {
                w.WriteStartObject();
                for (var i = 0; i < cr.Program.CrashLocations.Count; i++)
                {
                    w.WriteNumber(cr.Program.Locations[cr.Program.CrashLocations[i]].Name, s.Values[i]);
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteNumber("executions", r.Executions);
        w.WriteNumber("states", r.States);
        w.WriteNumber("elapsedMs", r.ElapsedMs);
        w.WriteBoolean("complete", r.Complete);
        w.WriteStartArray("properties");
        foreach (var p in r.Properties)
        {
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            if (p.Policy is null)
            {
                w.WriteNull("policy");
            }
            else
            {
                w.WriteString("policy", p.Policy);
            }
            w.WriteBoolean("violated", p.Violated);
            w.WriteStartArray("trace");
            foreach (var line in p.Trace)
            {
                w.WriteStringValue(line);
            }
            w.WriteEndArray();
            if (p.Replay is null)
            {
                w.WriteNull("replay");
            }
            else
            {
                w.WriteString("replay", p.Replay);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (r.Error is { } e)
        {
            w.WriteStartObject("error");
            w.WriteString("message", e.Message);
            w.WriteNumber("line", e.Line);
            w.WriteNumber("column", e.Column);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("error");
        }
        w.WriteEndObject();
    }
}
