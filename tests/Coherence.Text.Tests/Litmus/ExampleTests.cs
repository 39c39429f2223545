using Coherence.Text.Litmus.Parsing;
using Coherence.Text.Litmus.Printing;
using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Tests.Litmus;

public class ExampleTests
{
    [Fact]
    public void The_examples_are_there()
    {
        Assert.True(ExampleFiles.All.Count(p => p.Contains("/x86/", StringComparison.Ordinal)) >= 15);
        Assert.True(ExampleFiles.All.Count(p => p.Contains("/aarch64/", StringComparison.Ordinal)) >= 14);
        Assert.True(ExampleFiles.All.Count(p => p.Contains("/persistency/", StringComparison.Ordinal)) >= 10);
    }

    [Theory]
    [MemberData(nameof(ExampleFiles.Names), MemberType = typeof(ExampleFiles))]
    public void Example_parses_with_an_expected_verdict(string file)
    {
        var result = LitmusParser.Parse(ExampleFiles.Read(file), file);

        Assert.True(result.Succeeded, string.Join('\n', result.Diagnostics));
        Assert.NotNull(result.Test.Expected);
        Assert.NotEmpty(result.Test.Conditions);
        var folder = file.Split('/')[2];
        var expectedArchitectures = folder == "aarch64"
            ? new[] { Architecture.AArch64 }
            : new[] { Architecture.X86, Architecture.X86_64 };
        Assert.Contains(result.Test.Architecture, expectedArchitectures);
        if (file.Contains("/persistency/", StringComparison.Ordinal))
        {
            Assert.True(result.Test.Conditions[0].Crash, "a persistency test judges a crash condition first");
            Assert.Contains("(*", ExampleFiles.Read(file), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ExampleFiles.Names), MemberType = typeof(ExampleFiles))]
    public void Example_round_trips_through_the_printer(string file)
    {
        var first = LitmusParser.Parse(ExampleFiles.Read(file), file);
        Assert.True(first.Succeeded, string.Join('\n', first.Diagnostics));

        var printed = LitmusPrinter.Print(first.Test);
        var second = LitmusParser.Parse(printed, file);

        Assert.True(second.Succeeded, printed + "\n" + string.Join('\n', second.Diagnostics));
        Assert.Equal(first.Test, second.Test);
        Assert.Equal(printed, LitmusPrinter.Print(second.Test));
    }

    [Theory]
    [MemberData(nameof(ExampleFiles.Names), MemberType = typeof(ExampleFiles))]
    public void Example_passes_the_fuzz_target_unchanged(string file) =>
        LitmusFuzzTarget.Fuzz(File.ReadAllBytes(Path.Combine(ExampleFiles.Root, file)));
}
