namespace Coherence.Cli.Tests;

/// <summary>Runs the command in-process and captures its output.</summary>
internal static class CliRunner
{
    /// <summary>The repository root (where examples/ is), found from the test's working directory.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coherence.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static string Example(string relative) => Path.Combine(Root, "examples", relative);

    public static string Temp(string name, string content)
    {
        var dir = Path.Combine(Path.GetTempPath(), "coherence-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
