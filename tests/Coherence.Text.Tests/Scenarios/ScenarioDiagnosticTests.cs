using Coherence.Text.Scenarios;

namespace Coherence.Text.Tests.Scenarios;

/// <summary>One test per scenario-language message, each checking the line and column it is reported at.</summary>
public class ScenarioDiagnosticTests
{
    private const string Head = """
        scenario "t"
        device d0 nvdimm size=1GiB
        range r0 pmem 0x1_0000_0000 size=1GiB -> d0

        """;

    private static string Error(string body, int expectedLine, int expectedColumn)
    {
        var result = ScenarioParser.Parse(Head + "\n" + body, "t.scn");
        Assert.False(result.Succeeded);
        var d = result.Diagnostics[0];
        Assert.Equal("t.scn", d.Location.File);
        Assert.Equal((expectedLine, expectedColumn), (d.Location.Line, d.Location.Column));
        return d.Message;
    }

    [Theory]
    [InlineData("cpu0 write r0 \"abc\n", 5, 15, "unterminated string")]
    [InlineData("cpu0 write r0 $\n", 5, 15, "unexpected character '$'")]
    [InlineData("frobnicate d0\n", 5, 1, "unknown keyword 'frobnicate'")]
    [InlineData("platform color=red\n", 5, 10, "unknown platform option 'color'")]
    [InlineData("platform persistence=maybe\n", 5, 22, "not a valid persistence domain")]
    [InlineData("cpu0 read 0xZZ 8\n", 5, 11, "not a number")]
    [InlineData("device d1 dram size=12QB\n", 5, 21, "not a size")]
    [InlineData("cpux read r0 8\n", 5, 1, "not a CPU")]
    [InlineData("erase d9\n", 5, 7, "unknown device 'd9'")]
    [InlineData("cpu0 read r9+0x40 8\n", 5, 11, "unknown range 'r9'")]
    [InlineData("device d0 dram size=1GiB\n", 5, 8, "device 'd0' is already declared")]
    [InlineData("a: cpu0 read r0 8\na: cpu0 read r0 8\n", 6, 1, "label 'a' is already used")]
    [InlineData("cpu0 read r0 8\nexpect read nope == \"x\"\n", 6, 13, "no read step is labelled 'nope'")]
    [InlineData("cpu0 write r0 0xabc\n", 5, 15, "odd number of hex digits")]
    [InlineData("cpu0 jump r0\n", 5, 6, "unknown instruction 'jump'")]
    [InlineData("cpu0 mfence now\n", 5, 13, "expected the end of the line")]
    [InlineData("cpu0 read r0 0\n", 5, 14, "between 1 and 4096")]
    [InlineData("policy cache-mode=fast\n", 5, 8, "unknown policy facility 'cache-mode'")]
    [InlineData("policy memregion=sometimes\n", 5, 18, "'sometimes' is not a variant of memregion")]
    [InlineData("cpu0 read r0 8\nexpect no-stale-reads\n", 6, 8, "unknown property 'no-stale-reads'")]
    [InlineData("x: cpu0 read r0 8\nexpect errno x == -ESOMETHING\n", 6, 19, "not an errno")]
    [InlineData("check bfs\n", 5, 7, "unknown strategy 'bfs'")]
    [InlineData("repeat 4 stride=64:\n", 5, 20, "a repeat needs a step")]
    [InlineData("repeat 4: repeat 2: cpu0 mfence\n", 5, 11, "repeats do not nest")]
    [InlineData("cpu0 read r0 8\nexpect violation no-stale-read when memregion=often\n", 6, 47, "'often' is not a variant of memregion")]
    [InlineData("cache l4 32KiB\n", 5, 7, "not a valid cache level")]
    [InlineData("map cpu0 0x1000 -> r0 size=4KiB rw\n", 5, 33, "not a valid memory type")]
    [InlineData("guest cpu0 xen\n", 5, 12, "not a valid guest kind")]
    public void Each_message_names_line_and_column(string body, int line, int column, string expected)
    {
        Assert.Contains(expected, Error(body, line, column));
    }

    [Theory]
    [InlineData("range r1 ram 0x1_0000_8000 size=4KiB -> d0\ncpu0 mfence\n", 5, 1, "range 'r1' overlaps range 'r0' (line 3)")]
    [InlineData("range r1 ram 0x9_0000_0000 size=2GiB -> d0\ncpu0 mfence\n", 5, 1, "goes past the end of device 'd0'")]
    [InlineData("range r1 ram 0x9_0000_0100 size=4KiB -> d0\ncpu0 mfence\n", 5, 1, "4 KiB boundary")]
    [InlineData("device d1 dram size=1000\ncpu0 mfence\n", 5, 1, "positive multiple of 4 KiB")]
    [InlineData("cpu0 mfence\ncpu7 read r0 8\n", 6, 1, "cpu7 does not exist: the platform has 2 CPUs")]
    [InlineData("platform sockets=0\ncpu0 mfence\n", 5, 1, "sockets 0 must be between 1 and 16")]
    [InlineData("cache l1 3000 ways=4\ncpu0 mfence\n", 1, 1, "cache size 3000 bytes")]
    public void Whole_file_checks_report_before_anything_runs(string body, int line, int column, string expected)
    {
        Assert.Contains(expected, Error(body, line, column));
    }

    [Fact]
    public void Several_whole_file_problems_are_all_reported()
    {
        var result = ScenarioParser.Parse(Head + "\nrange r1 ram 0x1_0000_8000 size=4KiB -> d0\ncpu5 mfence\ncpu6 mfence\n", "t.scn");
        Assert.Equal(3, result.Diagnostics.Count);
    }

    [Fact]
    public void A_file_without_devices_ranges_or_steps_is_refused()
    {
        var result = ScenarioParser.Parse("scenario \"empty\"\n", "e.scn");
        Assert.False(result.Succeeded);
        Assert.Contains("at least one device, one range and one step", result.Diagnostics[0].Message);
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_in_order()
    {
        var result = ScenarioParser.Parse(Head + "\nerase d9\ncpu0 jump r0\nfrob\n", "t.scn");
        Assert.Equal([5, 6, 7], result.Diagnostics.Select(d => d.Location.Line).ToArray());
    }

    [Fact]
    public void Parsing_never_throws_on_mutated_examples()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Coherence.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var files = Directory.GetFiles(Path.Combine(root!.FullName, "examples"), "*.scn", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var random = new Random(12345);
        const string alphabet = " \n\"#:=+*-0x123abcABC>.\t";
        foreach (var f in files)
        {
            var text = File.ReadAllText(f);
            for (var k = 0; k < 150; k++)
            {
                var chars = text.ToCharArray().ToList();
                for (var m = 0; m < 1 + random.Next(4); m++)
                {
                    var at = random.Next(chars.Count + 1);
                    switch (random.Next(3))
                    {
                        case 0 when chars.Count > 0 && at < chars.Count:
                            chars.RemoveAt(at);
                            break;
                        case 1:
                            chars.Insert(at, alphabet[random.Next(alphabet.Length)]);
                            break;
                        default:
                            if (at < chars.Count)
                            {
                                chars[at] = alphabet[random.Next(alphabet.Length)];
                            }
                            break;
                    }
                }
                var mutated = new string([.. chars]);
                var result = ScenarioParser.Parse(mutated, "m.scn");
                Assert.True(result.Succeeded || result.Diagnostics.All(d => d.Location.Line >= 1 && d.Location.Column >= 1), mutated);
            }
        }
    }
}
