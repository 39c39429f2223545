using System.Globalization;
using Coherence.Checking.Scenarios;
using Coherence.Checking.Scenarios.Properties;
using Coherence.Checking.Strategies;

namespace Coherence.Cli;

/// <summary>Renders scenario reports: a table of properties (one column per policy when comparing), the
/// expectations' verdicts, and counterexamples with replay tokens.</summary>
internal static class ScenarioText
{
    public static void Render(TextWriter w, ScenarioSpec spec, List<(string? Label, ScenarioReport Report)> reports, ExplorationOptions options, bool plain)
    {
        var how = plain ? "one plain run" : $"{options.Strategy.ToString().ToLowerInvariant()} exploration, adversary budget {options.AdversaryBudget}";
        w.WriteLine($"-- properties ({how})");
        var header = string.Format(CultureInfo.InvariantCulture, "{0,-22}", "property");
        foreach (var (label, report) in reports)
        {
            var named = label ?? string.Join(' ', spec.Policies.Select(p => $"{p.Key}={p.Value}"));
            header += string.Format(CultureInfo.InvariantCulture, " {0,-24}", named.Length > 0 ? named : "default policies");
        }
        w.WriteLine(header.TrimEnd());
        foreach (var property in PropertyNames.All)
        {
            var row = string.Format(CultureInfo.InvariantCulture, "{0,-22}", property);
            foreach (var (_, report) in reports)
            {
                var v = report.Properties.First(p => p.Property == property);
                row += string.Format(CultureInfo.InvariantCulture, " {0,-24}", v.Violated ? $"VIOLATED at step {v.First!.Step}" : "held");
            }
            w.WriteLine(row.TrimEnd());
        }
        foreach (var (label, report) in reports)
        {
            var prefix = label is null ? "" : $"[{label}] ";
            foreach (var e in report.Expectations)
            {
                w.WriteLine($"{prefix}{(e.Held ? "ok  " : "FAIL")} {e.Expectation.Where}: {e.Explanation}");
                if (!e.Held && e.Witness is { } witness)
                {
                    w.WriteLine($"{prefix}     counterexample: --replay {ReplayToken.Encode(witness)}");
                }
            }
            foreach (var p in report.Properties.Where(p => p.Violated))
            {
                w.WriteLine($"{prefix}{p.Property}: {p.First!.Message}{(p.Witness is { Length: > 0 } pw ? $" (--replay {ReplayToken.Encode(pw)})" : "")}");
            }
            var s = report.Stats;
            w.WriteLine($"{prefix}{(report.Passed ? "Ok" : "Failed")}: {s.Executions} executions, {s.States} states, {s.Elapsed.TotalSeconds:0.000}s{(s.Complete ? "" : " INCOMPLETE: " + s.StopReason)}");
        }
        w.WriteLine();
    }
}
