using System.Globalization;
using System.Text;
using Coherence.Checking.Litmus;
using Coherence.Checking.Strategies;

namespace Coherence.Cli;

/// <summary>Renders a litmus report as herd7 does (states, Ok/No, witnesses, observation), plus crash states and the
/// expectation's verdict.</summary>
internal static class LitmusText
{
    public static string Render(LitmusReport report)
    {
        var p = report.Program;
        var sb = new StringBuilder();
        var first = report.Conditions.Count > 0 ? report.Conditions[0] : null;
        var kind = first?.Condition.Quantifier switch
        {
            ConditionQuantifier.ForAll => "Required",
            ConditionQuantifier.NotExists => "Forbidden",
            _ => "Allowed",
        };
        sb.AppendLine(CultureInfo.InvariantCulture, $"Test {p.Name} {kind}");
        var finals = report.Outcomes.Finals.Select(s => FormatState(p.Observables, s.Values)).Order(StringComparer.Ordinal).ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"States {finals.Count}");
        foreach (var f in finals)
        {
            sb.AppendLine(f);
        }
        if (p.CrashLocations.Count > 0)
        {
            var crashObs = p.CrashLocations.Select(l => new Observable(-1, l, p.Locations[l].Name)).ToList();
            var crashes = report.Outcomes.Crashes.Select(s => FormatState(crashObs, s.Values)).Order(StringComparer.Ordinal).ToList();
            sb.AppendLine(CultureInfo.InvariantCulture, $"Crash states {crashes.Count} ({p.Persistence})");
            foreach (var c in crashes)
            {
                sb.AppendLine(c);
            }
        }
        foreach (var c in report.Conditions)
        {
            sb.AppendLine(c.Ok ? "Ok" : "No");
            sb.AppendLine("Witnesses");
            sb.AppendLine(CultureInfo.InvariantCulture, $"Positive: {c.SatisfiedBy} Negative: {c.Of - c.SatisfiedBy}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"Condition {c.Condition.Text}");
            var observation = c.SatisfiedBy == 0 ? "Never" : c.SatisfiedBy == c.Of ? "Always" : "Sometimes";
            sb.AppendLine(CultureInfo.InvariantCulture, $"Observation {p.Name} {observation} {c.SatisfiedBy} {c.Of - c.SatisfiedBy}");
            if (c.Expected is { } e)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"Expected {e}: {(c.Passed ? "matches" : "MISMATCH, the model says " + c.Verdict)}");
            }
            else if (!c.Passed)
            {
                sb.AppendLine("FAILED: the condition does not hold");
            }
            if (c.Witness is { } w && (!c.Passed || c.Condition.Quantifier == ConditionQuantifier.Exists))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"Witness replay token: {ReplayToken.Encode(w.Witness)}");
            }
        }
        var s = report.Stats;
        sb.AppendLine(CultureInfo.InvariantCulture, $"Executions {s.Executions} States {s.States} Time {s.Elapsed.TotalSeconds:0.000}s{(s.Complete ? "" : " INCOMPLETE: " + s.StopReason)}");
        return sb.ToString();
    }

    public static string FormatState(IReadOnlyList<Observable> observables, long[] values)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < observables.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{observables[i].Name}={values[i]}; ");
        }
        return sb.ToString().TrimEnd();
    }
}
