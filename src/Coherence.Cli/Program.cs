namespace Coherence.Cli;

/// <summary>Entry point of the <c>coherence</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given output writers (tests call this).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = CommandLineBuilder.Build(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.CommandResult.Command.Name != "cachesim")
        {
            // Unknown tokens, bad option values: a clear message and the bad-input exit code (System.CommandLine's own is 1).
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"coherence: {error.Message}");
                if (Suggestions.For(error.Message, root) is { } hint)
                {
                    stderr.WriteLine($"coherence: did you mean '{hint}'?");
                }
            }
            stderr.WriteLine("Run 'coherence --help' or 'coherence <command> --help' for usage.");
            return (int)ExitCode.BadInput;
        }
        var configuration = new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr };
        return parse.Invoke(configuration);
    }
}
