using Coherence.Checking.Scenarios;
using Coherence.Text.Litmus.Parsing;
using Coherence.Text.Scenarios;

namespace Coherence.Cli;

/// <summary>The <c>check</c> sub-command: runs scenario and litmus files and reports each, then a summary line.</summary>
internal static class CheckCommand
{
    /// <summary>File extensions <c>check</c> reads; other files in a folder are ignored.</summary>
    public static readonly string[] Extensions = [".scn", ".litmus"];

    public static ExitCode Run(string[] paths, TextWriter stdout, TextWriter stderr)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                var found = Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                files.AddRange(found);
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
        int passed = 0, failed = 0, errors = 0, skipped = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var outcome = Path.GetExtension(file).Equals(".scn", StringComparison.OrdinalIgnoreCase)
                ? CheckScenario(file, text, stdout, stderr)
                : CheckLitmus(file, text, stdout, stderr);
            switch (outcome)
            {
                case FileOutcome.Passed:
                    passed++;
                    break;
                case FileOutcome.Failed:
                    failed++;
                    break;
                case FileOutcome.Skipped:
                    skipped++;
                    break;
                default:
                    errors++;
                    break;
            }
        }
        stdout.WriteLine(skipped > 0 ? $"{passed} passed, {failed + errors} failed, {skipped} skipped" : $"{passed} passed, {failed + errors} failed");
        return errors > 0 ? ExitCode.BadInput : failed > 0 ? ExitCode.Violation : ExitCode.Success;
    }

    private enum FileOutcome
    {
        Passed,
        Failed,
        Skipped,
        Error,
    }

    private static FileOutcome CheckScenario(string file, string text, TextWriter stdout, TextWriter stderr)
    {
        var parsed = ScenarioParser.Parse(text, file);
        if (!parsed.Succeeded)
        {
            foreach (var d in parsed.Diagnostics)
            {
                stderr.WriteLine(d.ToString());
            }
            return FileOutcome.Error;
        }
        var spec = parsed.Spec!;
        ScenarioRun run;
        try
        {
            run = ScenarioRunner.Run(spec);
        }
        catch (ScenarioError e)
        {
            stderr.WriteLine($"{e.Where}: {e.Message}");
            return FileOutcome.Error;
        }
        stdout.WriteLine($"== {file}: {spec.Name}");
        foreach (var line in run.Trace)
        {
            stdout.WriteLine(line);
        }
        foreach (var r in run.Results)
        {
            stdout.WriteLine($"{(r.Held ? "ok  " : "FAIL")} {r.Expectation.Where}: {r.Explanation}");
        }
        stdout.WriteLine(run.Passed ? "Ok" : "Failed");
        stdout.WriteLine();
        return run.Passed ? FileOutcome.Passed : FileOutcome.Failed;
    }

    private static FileOutcome CheckLitmus(string file, string text, TextWriter stdout, TextWriter stderr)
    {
        var parsed = LitmusParser.Parse(text, file);
        if (!parsed.Succeeded)
        {
            foreach (var d in parsed.Diagnostics)
            {
                stderr.WriteLine(d.ToString());
            }
            return FileOutcome.Error;
        }
        stdout.WriteLine($"== {file}: {parsed.Test!.Architecture} {parsed.Test.Name}: parsed; not checked (the litmus engine is not built yet)");
        return FileOutcome.Skipped;
    }
}
