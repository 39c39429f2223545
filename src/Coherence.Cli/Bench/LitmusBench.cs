using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coherence.Checking.Litmus;
using Coherence.Checking.Strategies;
using Coherence.Text.Litmus.Lowering;
using Coherence.Text.Litmus.Parsing;

namespace Coherence.Cli.Bench;

/// <summary>
/// The litmus engine's figures (issue 3): the time to check every x86 example exhaustively, distinct states per
/// second, and how executions and states grow with the number of unflushed stores of a one-thread crash test.
/// </summary>
internal static class LitmusBench
{
    public static string Run(string examples, int maxStores)
    {
        var sb = new StringBuilder();
        var files = Directory.Exists(examples)
            ? Directory.EnumerateFiles(examples, "*.litmus", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        long states = 0, executions = 0;
        var checkedFiles = 0;
        var sw = Stopwatch.StartNew();
        foreach (var f in files)
        {
            var parsed = LitmusParser.Parse(File.ReadAllText(f), f);
            if (!parsed.Succeeded)
            {
                continue;
            }
            var (program, _) = LitmusLowering.Lower(parsed.Test!);
            if (program is null)
            {
                continue;
            }
            var r = LitmusChecker.Check(program, new ExplorationOptions());
            states += r.Stats.States;
            executions += r.Stats.Executions;
            checkedFiles++;
        }
        var total = sw.Elapsed.TotalSeconds;
        sb.AppendLine(CultureInfo.InvariantCulture, $"examples: {checkedFiles} litmus tests under {examples} checked exhaustively in {total:0.000} s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"          {executions} executions, {states} distinct states, {states / Math.Max(total, 1e-9):0} states/s");
        sb.AppendLine();
        sb.AppendLine("one thread, N unflushed stores to N lines, crash exists (all zero but the last):");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"N",3} {"executions",11} {"states",8} {"crash states",13} {"time (ms)",10}");
        for (var n = 1; n <= maxStores; n++)
        {
            var body = new StringBuilder();
            var names = Enumerable.Range(0, n).Select(i => $"x{i}").ToList();
            foreach (var name in names)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $" MOV [{name}],$1 ;");
            }
            var init = string.Join(" ", names.Select(x => x + "=0;"));
            var cond = string.Join(" /\\ ", names.Select((x, i) => i == n - 1 ? $"{x}=1" : $"{x}=0"));
            var source = $"X86 Unflushed{n}\n{{ {init} }}\n P0 ;\n{body}crash exists ({cond})\n";
            var parsed = LitmusParser.Parse(source, "bench");
            var (program, _) = LitmusLowering.Lower(parsed.Test!);
            var t = Stopwatch.StartNew();
            var r = LitmusChecker.Check(program!, new ExplorationOptions());
            sb.AppendLine(CultureInfo.InvariantCulture, $"{n,3} {r.Stats.Executions,11} {r.Stats.States,8} {r.Outcomes.CrashCount,13} {t.Elapsed.TotalMilliseconds,10:0.0}");
        }
        return sb.ToString();
    }
}
