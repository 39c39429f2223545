using Coherence.Checking.Litmus;

namespace Coherence.Checking.Tests.Litmus;

/// <summary>Every AArch64 example gets the verdict its <c>Expected=</c> line states, from a complete exploration.</summary>
public class Arm64ExampleTests
{
    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "litmus", "aarch64");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("examples/litmus/aarch64 not found above " + AppContext.BaseDirectory);
    }

    private static List<string> Names() =>
        [.. Directory.EnumerateFiles(Folder(), "*.litmus", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder(), f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var n in Names())
        {
            data.Add(n);
        }
        return data;
    }

    [Fact]
    public void The_catalogue_shapes_and_persistency_idioms_are_all_there()
    {
        var names = Names().ToHashSet(StringComparer.Ordinal);
        foreach (var n in new[] { "MP.litmus", "MP+dmbs.litmus", "SB.litmus", "SB+dmbs.litmus", "LB.litmus", "LB+datas.litmus", "LB+ctrls.litmus",
            "WRC.litmus", "WRC+addrs.litmus", "IRIW.litmus", "IRIW+addrs.litmus", "S.litmus", "R+dmbs.litmus", "2+2W.litmus", "2+2W+dmbs.litmus",
            "MP+popl+poap.litmus", "MP+dmb.st+addr.litmus", "persistency/CVAP+DSB.litmus", "persistency/CVAP+DMB.litmus", "persistency/Reader+CVAP+DSB.litmus" })
        {
            Assert.Contains(n, names);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Example_verdict_matches_its_expected_line(string relative)
    {
        var program = LitmusHarness.Program(File.ReadAllText(Path.Combine(Folder(), relative)));
        Assert.NotNull(program.Expected);
        var r = LitmusChecker.Check(program, new());
        Assert.True(r.Stats.Complete, r.Stats.StopReason);
        Assert.Equal(program.Expected, r.Conditions[0].Verdict);
        Assert.True(r.Passed);
    }
}
