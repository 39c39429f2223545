using System.Globalization;
using System.Reflection;
using Coherence.Checking.Litmus;
using Coherence.Checking.Scenarios;
using Coherence.Checking.Strategies;
using Coherence.Text.Litmus.Lowering;
using Coherence.Text.Litmus.Parsing;
using Coherence.Text.Scenarios;

namespace Coherence.Cli;

/// <summary>The <c>check</c> sub-command: runs scenario and litmus files and reports each, then a summary line.</summary>
internal static class CheckCommand
{
    /// <summary>File extensions <c>check</c> reads; other files in a folder are ignored.</summary>
    public static readonly string[] Extensions = [".scn", ".litmus"];

    public static string Version => typeof(CheckCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public static ExitCode Run(string[] paths, CheckOptions options, TextWriter stdout, TextWriter stderr)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                files.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(p))
            {
                if (!Extensions.Contains(Path.GetExtension(p), StringComparer.OrdinalIgnoreCase))
                {
                    stderr.WriteLine($"{p}: not a scenario (.scn) or litmus (.litmus) file");
                    return ExitCode.BadInput;
                }
                files.Add(p);
            }
            else
            {
                stderr.WriteLine($"{p}: no such file or folder");
                return ExitCode.BadInput;
            }
        }
        Dictionary<string, Kind>? kinds = null;
        if (options.KindsFile is { } kindsPath)
        {
            if (!File.Exists(kindsPath))
            {
                stderr.WriteLine($"{kindsPath}: no such kinds file");
                return ExitCode.BadInput;
            }
            var errors = new List<string>();
            kinds = KindsFile.Read(kindsPath, errors);
            if (errors.Count > 0)
            {
                errors.ForEach(stderr.WriteLine);
                return ExitCode.BadInput;
            }
        }
        if (options.Replay is { } token)
        {
            if (files.Count != 1)
            {
                stderr.WriteLine($"--replay needs exactly one file, not {files.Count}");
                return ExitCode.BadInput;
            }
            return Replay(files[0], token, options, stdout, stderr);
        }
        var results = new List<FileResult>();
        var text = options.Json ? TextWriter.Null : stdout;
        // Progress on a terminal only: a line on stderr that is rewritten per file and cleared at the end.
        var progress = !Console.IsOutputRedirected && !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error) && files.Count > 1;
        var index = 0;
        foreach (var file in files)
        {
            if (progress)
            {
                var shown = file.Length > 60 ? "..." + file[^57..] : file;
                stderr.Write($"\r[{++index}/{files.Count}] checking {shown}".PadRight(80));
            }
            var source = File.ReadAllText(file);
            if (Path.GetExtension(file).Equals(".scn", StringComparison.OrdinalIgnoreCase))
            {
                results.AddRange(CheckScenario(file, source, options, text, stderr));
            }
            else
            {
                results.Add(CheckLitmus(file, source, options, kinds, text, stderr));
            }
        }
        if (progress)
        {
            stderr.Write("\r" + new string(' ', 80) + "\r");
        }
        var passed = results.Count(r => r.Status == "pass");
        var skipped = results.Count(r => r.Status == "skipped");
        var failed = results.Count - passed - skipped;
        if (options.Json)
        {
            stdout.WriteLine(JsonResults.Write(results, Version));
        }
        else
        {
            stdout.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
        }
        return results.Any(r => r.Status == "error") ? ExitCode.BadInput
            : results.Any(r => r.Status == "fail") ? ExitCode.Violation : ExitCode.Success;
    }

    private static List<FileResult> CheckScenario(string file, string source, CheckOptions options, TextWriter stdout, TextWriter stderr)
    {
        var result = new FileResult { File = file, Kind = "scenario" };
        var parsed = ScenarioParser.Parse(source, file);
        if (!parsed.Succeeded)
        {
            foreach (var d in parsed.Diagnostics)
            {
                stderr.WriteLine(d.ToString());
            }
            var first = parsed.Diagnostics[0];
            result.Error = (first.Message, first.Location.Line, first.Location.Column);
            return [result];
        }
        var spec = parsed.Spec!;
        var plain = options.StrategyGiven ? options.Plain : spec.Plain;
        var exploration = options.StrategyGiven || spec.Exploration is null ? options.Exploration : spec.Exploration with { Timeout = options.Exploration.Timeout };
        var sets = new List<(string? Label, Dictionary<string, string> Policies)>();
        if (options.Compare is { } cmp)
        {
            foreach (var v in cmp.Variants)
            {
                var overrides = new Dictionary<string, string>(options.Policies, StringComparer.Ordinal) { [cmp.Facility] = v };
                sets.Add(($"{cmp.Facility}={v}", ScenarioRunner.EffectivePolicies(spec, overrides)));
            }
        }
        else
        {
            sets.Add((null, ScenarioRunner.EffectivePolicies(spec, options.Policies)));
        }
        var results = new List<FileResult>();
        var reports = new List<(string? Label, ScenarioReport Report)>();
        try
        {
            stdout.WriteLine($"== {file}: {spec.Name}");
            if (options.Compare is null && !plain)
            {
                // The deterministic run first: what happened to each line and byte, step by step.
                var run = ScenarioRunner.Run(spec, sets[0].Policies);
                foreach (var line in run.Trace)
                {
                    stdout.WriteLine(line);
                }
            }
            foreach (var (label, policies) in sets)
            {
                var plainTrace = plain && options.Compare is null ? new List<string>() : null;
                var report = ScenarioChecker.Check(spec, policies, exploration, plain, plainTrace);
                if (plainTrace is not null)
                {
                    foreach (var line in plainTrace)
                    {
                        stdout.WriteLine(line);
                    }
                }
                reports.Add((label, report));
                var r = new FileResult { File = file, Kind = "scenario", Name = spec.Name };
                r.Executions = report.Stats.Executions;
                r.States = report.Stats.States;
                r.ElapsedMs = (long)report.Stats.Elapsed.TotalMilliseconds;
                r.Complete = report.Stats.Complete;
                foreach (var p in report.Properties)
                {
                    IReadOnlyList<string> trace = [];
                    string? token = null;
                    if (p.Violated && p.Witness is { } w)
                    {
                        token = ReplayToken.Encode(w);
                        trace = ScenarioChecker.Trace(spec, policies, [.. w.Select(d => d.Chosen)], exploration.AdversaryBudget).Trace;
                    }
                    r.Properties.Add(new PropertyResult(p.Property, label, p.Violated, trace, token));
                }
                r.Status = report.Passed ? "pass" : "fail";
                results.Add(r);
            }
        }
        catch (ScenarioError e)
        {
            stderr.WriteLine($"{e.Where}: {e.Message}");
            result.Name = spec.Name;
            result.Error = (e.Message, e.Where.Line, e.Where.Column);
            return [result];
        }
        ScenarioText.Render(stdout, spec, reports, exploration, plain);
        return results;
    }

    private static (LitmusProgram? Program, string? Name) Load(string file, string source, TextWriter stderr, FileResult? result)
    {
        var parsed = LitmusParser.Parse(source, file);
        if (!parsed.Succeeded)
        {
            foreach (var d in parsed.Diagnostics)
            {
                stderr.WriteLine(d.ToString());
            }
            if (result is not null)
            {
                result.Error = (parsed.Diagnostics[0].Message, parsed.Diagnostics[0].Location.Line, parsed.Diagnostics[0].Location.Column);
            }
            return (null, null);
        }
        var (program, diagnostics) = LitmusLowering.Lower(parsed.Test!);
        if (program is null)
        {
            foreach (var d in diagnostics)
            {
                stderr.WriteLine(d.ToString());
            }
            if (result is not null)
            {
                result.Error = (diagnostics[0].Message, diagnostics[0].Location.Line, diagnostics[0].Location.Column);
            }
            return (null, parsed.Test!.Name);
        }
        return (program, program.Name);
    }

    private static FileResult CheckLitmus(string file, string source, CheckOptions options, Dictionary<string, Kind>? kinds, TextWriter stdout, TextWriter stderr)
    {
        var result = new FileResult { File = file, Kind = "litmus" };
        var (program, name) = Load(file, source, stderr, result);
        result.Name = name ?? "";
        if (program is null)
        {
            return result;
        }
        var required = false;
        if (kinds is not null && kinds.TryGetValue(program.Name, out var kind))
        {
            program.Expected = kind switch
            {
                Kind.Allowed => Verdict.Allowed,
                Kind.Forbidden => Verdict.Forbidden,
                _ => null,
            };
            required = kind == Kind.Required;
        }
        var report = LitmusChecker.Check(program, options.Exploration);
        result.Litmus = report;
        result.Executions = report.Stats.Executions;
        result.States = report.Stats.States;
        result.ElapsedMs = (long)report.Stats.Elapsed.TotalMilliseconds;
        result.Complete = report.Stats.Complete;
        for (var i = 0; i < report.Conditions.Count; i++)
        {
            var c = report.Conditions[i];
            var violated = !c.Passed || (i == 0 && required && !c.Ok);
            var token = c.Witness is { } w ? ReplayToken.Encode(w.Witness) : null;
            IReadOnlyList<string> trace = [];
            if (violated && c.Witness is { } witness)
            {
                trace = LitmusChecker.Trace(program, [.. witness.Witness.Select(d => d.Chosen)]).Trace;
            }
            result.Properties.Add(new PropertyResult($"condition-{i + 1}", null, violated, trace, token));
        }
        stdout.Write(LitmusText.Render(report));
        foreach (var p in result.Properties.Where(p => p.Violated && p.Trace.Count > 0))
        {
            stdout.WriteLine($"Counterexample for {p.Name} (replay with --replay {p.Replay}):");
            foreach (var line in p.Trace)
            {
                stdout.WriteLine("  " + line);
            }
        }
        stdout.WriteLine();
        result.Status = result.Properties.Any(p => p.Violated) ? "fail" : "pass";
        return result;
    }

    private static ExitCode Replay(string file, string token, CheckOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (!ReplayToken.TryDecode(token, out var decisions, out var error))
        {
            stderr.WriteLine($"--replay: {error}");
            return ExitCode.BadInput;
        }
        IReadOnlyList<string> trace;
        string? replayError;
        string name;
        if (Path.GetExtension(file).Equals(".scn", StringComparison.OrdinalIgnoreCase))
        {
            var parsed = ScenarioParser.Parse(File.ReadAllText(file), file);
            if (!parsed.Succeeded)
            {
                parsed.Diagnostics.ToList().ForEach(d => stderr.WriteLine(d.ToString()));
                return ExitCode.BadInput;
            }
            var spec = parsed.Spec!;
            name = spec.Name;
            var budget = options.StrategyGiven || spec.Exploration is null ? options.Exploration.AdversaryBudget : spec.Exploration.AdversaryBudget;
            try
            {
                (trace, replayError) = ScenarioChecker.Trace(spec, ScenarioRunner.EffectivePolicies(spec, options.Policies), decisions, budget);
            }
            catch (ScenarioError e)
            {
                stderr.WriteLine($"{e.Where}: {e.Message}");
                return ExitCode.BadInput;
            }
        }
        else
        {
            var (program, _) = Load(file, File.ReadAllText(file), stderr, null);
            if (program is null)
            {
                return ExitCode.BadInput;
            }
            name = program.Name;
            (trace, replayError) = LitmusChecker.Trace(program, decisions);
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Replay of {name}: {decisions.Length} decisions"));
        foreach (var line in trace)
        {
            stdout.WriteLine("  " + line);
        }
        if (replayError is not null)
        {
            stderr.WriteLine($"{file}: {replayError}");
            return ExitCode.BadInput;
        }
        return ExitCode.Success;
    }
}
