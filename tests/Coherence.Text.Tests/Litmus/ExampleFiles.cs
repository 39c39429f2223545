namespace Coherence.Text.Tests.Litmus;

/// <summary>Finds the litmus example files of the repository.</summary>
internal static class ExampleFiles
{
    public static string Root { get; } = FindRoot();

    public static IReadOnlyList<string> All { get; } =
        [.. Directory.EnumerateFiles(Path.Combine(Root, "examples", "litmus"), "*.litmus", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var path in All)
        {
            data.Add(Relative(path));
        }

        return data;
    }

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Coherence.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Coherence.slnx) not found above " + AppContext.BaseDirectory);
    }
}
