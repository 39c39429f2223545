namespace Coherence.Cli;

/// <summary>Entry point of the <c>coherence</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        var root = CommandLineBuilder.Build(Console.Out, Console.Error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.CommandResult.Command.Name != "cachesim")
        {
            // Unknown tokens, bad option values: a clear message and the bad-input exit code (System.CommandLine's own is 1).
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"coherence: {error.Message}");
            }
            Console.Error.WriteLine("Run 'coherence --help' or 'coherence <command> --help' for usage.");
            return (int)ExitCode.BadInput;
        }
        return parse.Invoke();
    }
}
