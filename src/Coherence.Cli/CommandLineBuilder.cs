using System.CommandLine;

namespace Coherence.Cli;

/// <summary>Builds the <c>coherence</c> command tree.</summary>
public static class CommandLineBuilder
{
    /// <summary>Creates the root command, writing results to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Coherence: checks device-memory cache maintenance on a simulated platform.");
        var paths = new Argument<string[]>("paths") { Description = "Files or folders to check (folders recursively).", Arity = ArgumentArity.OneOrMore };
        var check = new Command("check", "Run the examples or files given and report what each one shows.") { paths };
        check.SetAction(parse => (int)CheckCommand.Run(parse.GetValue(paths) ?? [], stdout, stderr));
        root.Subcommands.Add(check);
        root.Subcommands.Add(BenchCommand.Build(stdout, stderr));
        root.Subcommands.Add(CachesimCommand.Create(stdout, stderr));
        return root;
    }
}
