namespace Coherence.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public void Platform_only_that_matches_no_figure_exits_2_and_lists_the_figures()
    {
        var (code, output, error) = CliRunner.Run("bench", "platform", "--only", "no such figure");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--only 'no such figure' matches no figure", error, StringComparison.Ordinal);
        Assert.Contains("miss-heavy mix, 16 MiB", error, StringComparison.Ordinal);
        Assert.Contains("host random read latency, 64 MiB", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Platform_only_measures_just_the_matching_figures()
    {
        // With --quick an erase figure is cheap: 100 000 touched lines, five erases.
        var (code, output, _) = CliRunner.Run("bench", "platform", "--quick", "--only", "ERASE 16 GiB");
        Assert.Equal(0, code);
        Assert.Contains("erase 16 GiB device", output, StringComparison.Ordinal);
        Assert.DoesNotContain("erase 4 TiB device", output, StringComparison.Ordinal);
        Assert.DoesNotContain("L1-hit", output, StringComparison.Ordinal);
    }
}
