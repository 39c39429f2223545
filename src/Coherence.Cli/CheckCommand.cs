namespace Coherence.Cli;

/// <summary>The <c>check</c> sub-command.</summary>
internal static class CheckCommand
{
    public static ExitCode Run(string[] paths, TextWriter stdout, TextWriter stderr)
    {
        foreach (var p in paths)
        {
            if (!File.Exists(p) && !Directory.Exists(p))
            {
                stderr.WriteLine($"{p}: no such file or folder");
                return ExitCode.BadInput;
            }
        }
        stdout.WriteLine("0 passed, 0 failed");
        return ExitCode.Success;
    }
}
