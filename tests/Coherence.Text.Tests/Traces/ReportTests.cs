using Coherence.Text.Traces;

namespace Coherence.Text.Tests.Traces;

public class ReportTests
{
    [Theory]
    [InlineData(0.0, "      0.0000")]
    [InlineData(1.0, "      1.0000")]
    [InlineData(0.03125, "      0.0312")]  // exact tie: C rounds to even, .NET's F4 would print 0.0313
    [InlineData(0.09375, "      0.0938")]  // exact tie, even neighbour above
    [InlineData(42.62953, "     42.6295")]
    [InlineData(8.870651799319291, "      8.8707")]
    public void Fixed4_rounds_like_printf(double value, string expected) =>
        Assert.Equal(expected, DineroReport.Fixed4(value));

    [Fact]
    public void Summary_lists_options_in_dineros_order()
    {
        var o = DineroOptionParser.Parse(["-informat", "d", "-l1-isize", "32k", "-l1-ibsize", "64", "-l1-dsize", "16k", "-l1-dbsize", "32",
            "-l1-dwback", "n", "-l2-usize", "1m", "-l2-ubsize", "64", "-l2-urepl", "f"]);
        var lines = o.Summary().Split('\n');
        Assert.Equal(["-l2-usize 1048576", "-l1-isize 32768", "-l1-dsize 16384", "-l2-ubsize 64", "-l1-ibsize 64", "-l1-dbsize 32"], lines[..6]);
        Assert.Contains("-l2-urepl f", lines);
        Assert.Contains("-l1-dwback n", lines);
        Assert.DoesNotContain("-l1-iwalloc a", lines);
        Assert.Equal(["-informat d", "-on-trigger 0x0", "-off-trigger 0x0", ""], lines[^4..]);
    }

    [Theory]
    [InlineData("cache size and block size must be specified", "-informat", "d")]
    [InlineData("option -l1-dsize arg must be power of 2", "-l1-dsize", "1000")]
    [InlineData("\"-l1-dsize\" option requires additional argument", "-l1-dsize")]
    [InlineData("level 1 icache cannot have write allocate policy", "-l1-isize", "1k", "-l1-ibsize", "64", "-l1-iwalloc", "a")]
    [InlineData("level 1 dcache size < blocksize * associativity", "-l1-dsize", "64", "-l1-dbsize", "64", "-l1-dassoc", "2")]
    [InlineData("level 1 cache is unified, level 2 is not", "-l1-usize", "1k", "-l1-ubsize", "64", "-l2-dsize", "8k", "-l2-dbsize", "64")]
    [InlineData("bad option: -maxcount 12x", "-l1-dsize", "1k", "-l1-dbsize", "64", "-maxcount", "12x")]
    [InlineData("Did you mean \"-l1-dassoc\"?", "-l1-dsize", "1k", "-l1-dbsize", "64", "-l1-dasoc", "2")]
    public void Option_errors_use_dineros_messages(string message, params string[] args)
    {
        var e = Assert.Throws<DineroOptionException>(() => DineroOptionParser.Parse(args));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scaled_counts_and_defaults()
    {
        var o = DineroOptionParser.Parse(["-l1-usize", "8K", "-l1-ubsize", "32", "-maxcount", "2k", "-skipcount", "1m"]);
        Assert.Equal(2048, o.Simulation.MaxCount);
        Assert.Equal(1 << 20, o.Simulation.SkipCount);
        var c = o.Simulation[1, Coherence.Platform.TraceSim.CacheRole.Unified]!;
        Assert.Equal(1, c.Associativity);
        Assert.Equal(Coherence.Platform.TraceSim.ReplacementKind.Lru, c.Replacement);
        Assert.Equal(TraceFormat.ExtendedDin, o.InputFormat);
    }
}
