namespace Coherence.Cli;

/// <summary>Entry point of the <c>coherence</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        var root = CommandLineBuilder.Build(Console.Out, Console.Error);
        return root.Parse(args).Invoke();
    }
}
