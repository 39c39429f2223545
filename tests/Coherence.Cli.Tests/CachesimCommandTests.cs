using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Coherence.Cli.Tests;

public class CachesimCommandTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coherence.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string ReferenceDir => Path.Combine(RepoRoot(), "..", "shared", "reference", "dinero");

    private static (ExitCode Code, string Out, string Err) Run(string trace, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = CachesimCommand.Run(args, () => new MemoryStream(Encoding.ASCII.GetBytes(trace)), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The numbers of one row (" Demand Fetches", " Demand Misses", " Bytes To Memory"…) of one cache.</summary>
    private static long[] Row(string output, string cache, string row)
    {
        var lines = output.Split('\n');
        var start = Array.IndexOf(lines, cache);
        Assert.True(start >= 0, $"no statistics for {cache} in\n{output}");
        for (var i = start + 1; i < Math.Min(lines.Length, start + 18); i++)
        {
            if (lines[i].StartsWith(row, StringComparison.Ordinal))
            {
                return lines[i][row.Length..].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            }
        }
        throw new InvalidOperationException($"no row {row} for {cache}");
    }

    // Columns of the fetch and miss rows.
    private const int Total = 0;
    private const int Read = 3;
    private const int Write = 4;

    [Fact]
    public void Reproduces_dinero_output_for_the_reference_trace_byte_for_byte()
    {
        var expected = File.ReadAllText(Path.Combine(ReferenceDir, "expected-split-l1-l2.txt"));
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter();
        var code = CachesimCommand.Run(
            ["-informat", "d", "-l1-isize", "32k", "-l1-ibsize", "64", "-l1-iassoc", "8", "-l1-dsize", "32k", "-l1-dbsize", "64",
             "-l1-dassoc", "8", "-l2-usize", "1m", "-l2-ubsize", "64", "-l2-uassoc", "16", Path.Combine(ReferenceDir, "trace-200k.din.gz")],
            () => throw new InvalidOperationException("stdin not expected"), stdout, stderr);
        Assert.Equal(ExitCode.Success, code);
        Assert.Equal("", stderr.ToString());
        Assert.Equal(expected, stdout.ToString());
    }

    [Fact]
    public void Command_line_reaches_the_command_through_system_commandline()
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter();
        var trace = Path.GetTempFileName();
        File.WriteAllText(trace, "0 100\n");
        try
        {
            var code = CommandLineBuilder.Build(stdout, stderr).Parse(["cachesim", "-informat", "d", "-l1-usize", "1k", "-l1-ubsize", "64", trace]).Invoke();
            Assert.Equal(0, code);
            Assert.Equal([1, 0, 1, 1, 0, 0], Row(stdout.ToString(), "l1-ucache", " Demand Fetches"));
        }
        finally
        {
            File.Delete(trace);
        }
    }

    private static readonly string[] Din = ["-informat", "d"];

    private static string[] L1(params string[] more) => [.. Din, "-l1-dsize", "1k", "-l1-dbsize", "64", .. more];

    [Theory]
    [InlineData("128", 3)]
    [InlineData("256", 2)]
    public void Size_option_sets_the_capacity(string size, long misses)
    {
        // 64-byte direct-mapped: 0x80 shares set 0 with 0x0 when there are 2 sets, not with 4.
        var r = Run("0 0\n0 80\n0 0\n", [.. Din, "-l1-dsize", size, "-l1-dbsize", "64"]);
        Assert.Equal(misses, Row(r.Out, "l1-dcache", " Demand Misses")[Total]);
    }

    [Theory]
    [InlineData("16", 2)]
    [InlineData("64", 1)]
    public void Bsize_option_sets_the_block_size(string bsize, long misses)
    {
        var r = Run("0 0\n0 20\n", [.. Din, "-l1-dsize", "1k", "-l1-dbsize", bsize]);
        Assert.Equal(misses, Row(r.Out, "l1-dcache", " Demand Misses")[Total]);
        Assert.Contains($"-l1-dbsize {bsize}\n-l1-dsbsize {bsize}\n", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 3)]
    [InlineData("2", 2)]
    public void Assoc_option_sets_the_associativity(string assoc, long misses)
    {
        var r = Run("0 0\n0 80\n0 0\n", [.. Din, "-l1-dsize", "128", "-l1-dbsize", "64", "-l1-dassoc", assoc]);
        Assert.Equal(misses, Row(r.Out, "l1-dcache", " Demand Misses")[Total]);
    }

    [Theory]
    [InlineData("l", 3, 3)]
    [InlineData("f", 4, 4)]
    [InlineData("r", 3, 4)]
    public void Repl_option_picks_lru_fifo_or_random(string repl, long low, long high)
    {
        // One set of two ways: A B A C A. LRU keeps A (3 misses), FIFO evicts it (4), random either.
        var r = Run("0 0\n0 40\n0 0\n0 80\n0 0\n", [.. Din, "-l1-dsize", "128", "-l1-dbsize", "64", "-l1-dassoc", "2", "-l1-drepl", repl]);
        Assert.InRange(Row(r.Out, "l1-dcache", " Demand Misses")[Total], low, high);
        Assert.Contains($"-l1-drepl {repl}\n", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", 0)]
    [InlineData("n", 1)]
    public void Walloc_option_decides_whether_a_write_miss_allocates(string walloc, long readMisses)
    {
        var r = Run("1 0\n0 0\n", L1("-l1-dwalloc", walloc));
        Assert.Equal(readMisses, Row(r.Out, "l1-dcache", " Demand Misses")[Read]);
    }

    [Theory]
    [InlineData("a", 64)]
    [InlineData("n", 12)]
    public void Wback_option_picks_write_back_or_write_through(string wback, long bytesToMemory)
    {
        var r = Run("1 0\n1 4\n1 8\n", L1("-l1-dwback", wback));
        Assert.Equal(bytesToMemory, Row(r.Out, "l1-dcache", " Bytes To Memory")[0]);
    }

    [Fact]
    public void Fetch_option_accepts_demand_fetch_and_rejects_prefetch_policies()
    {
        var ok = Run("0 0\n", L1("-l1-dfetch", "d"));
        Assert.Equal(ExitCode.Success, ok.Code);
        Assert.Contains("-l1-dfetch d\n", ok.Out, StringComparison.Ordinal);
        var bad = Run("0 0\n", L1("-l1-dfetch", "a"));
        Assert.Equal(ExitCode.BadInput, bad.Code);
        Assert.Contains("only demand fetch", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Maxcount_stops_the_run_and_says_so()
    {
        var r = Run("0 0\n0 40\n0 80\n", L1("-maxcount", "2"));
        Assert.Equal(2, Row(r.Out, "l1-dcache", " Demand Fetches")[Total]);
        Assert.Contains("---Maximum address count exceeded.\n---Simulation complete.\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Skipcount_skips_records()
    {
        var r = Run("1 0\n0 40\n0 80\n", L1("-skipcount", "1"));
        Assert.Equal([2, 0, 2, 2, 0, 0], Row(r.Out, "l1-dcache", " Demand Fetches"));
        Assert.Contains("-skipcount 1\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("input ended before -skipcount satisfied", Run("0 0\n", L1("-skipcount", "2")).Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Flushcount_flushes_every_n_records()
    {
        var r = Run("0 0\n0 0\n0 0\n", L1("-flushcount", "1"));
        Assert.Equal(3, Row(r.Out, "l1-dcache", " Demand Misses")[Total]);
        Assert.Equal(1, Row(Run("0 0\n0 0\n0 0\n", L1()).Out, "l1-dcache", " Demand Misses")[Total]);
    }

    [Fact]
    public void Stat_interval_prints_statistics_along_the_way()
    {
        var r = Run("0 0\n0 40\n0 80\n0 c0\n", L1("-stat-interval", "2"));
        Assert.Equal(3, r.Out.Split("l1-dcache\n").Length - 1);
    }

    [Fact]
    public void Triggers_discard_records_outside_the_window()
    {
        var r = Run("0 0\n0 1000\n0 40\n0 2000\n0 80\n", L1("-on-trigger", "0x1000", "-off-trigger", "2000"));
        Assert.Equal(1, Row(r.Out, "l1-dcache", " Demand Fetches")[Total]);
        Assert.Contains("-on-trigger 0x1000\n-off-trigger 0x2000\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Levels_one_to_five_are_chained()
    {
        var r = Run("0 0\n", [.. Din,
            "-l1-usize", "1k", "-l1-ubsize", "64", "-l2-usize", "2k", "-l2-ubsize", "64", "-l3-usize", "4k", "-l3-ubsize", "64",
            "-l4-usize", "8k", "-l4-ubsize", "64", "-l5-usize", "16k", "-l5-ubsize", "128"]);
        for (var level = 1; level <= 5; level++)
        {
            Assert.Equal([1, 0, 1, 1, 0, 0], Row(r.Out, $"l{level}-ucache", " Demand Misses"));
        }
        Assert.Equal(128, Row(r.Out, "l5-ucache", " Bytes From Memory")[0]);
    }

    [Fact]
    public void Instruction_and_data_types_split_the_streams()
    {
        var r = Run("2 100\n0 100\n1 200\n", [.. Din, "-l1-isize", "1k", "-l1-ibsize", "32", "-l1-dsize", "1k", "-l1-dbsize", "64", "-l2-usize", "8k", "-l2-ubsize", "64"]);
        Assert.Equal([1, 1, 0, 0, 0, 0], Row(r.Out, "l1-icache", " Demand Fetches"));
        Assert.Equal([2, 0, 2, 1, 1, 0], Row(r.Out, "l1-dcache", " Demand Fetches"));
        // L2 sees the i-miss, the two d-misses as reads, and the final write-back of 0x200.
        Assert.Equal([4, 1, 3, 2, 1, 0], Row(r.Out, "l2-ucache", " Demand Fetches"));
    }

    [Fact]
    public void Extended_din_counts_references_that_span_blocks_as_dinero_does()
    {
        var r = Run("r 3c 8\nw 0 40\nr 80 c8\n", ["-informat", "D", "-l1-usize", "1k", "-l1-ubsize", "64"]);
        Assert.Equal([1 + 0 + 3], Row(r.Out, "l1-ucache", " Multi-block refs"));
        Assert.Equal([2 + 1 + 4, 0, 7, 6, 1, 0], Row(r.Out, "l1-ucache", " Demand Fetches"));
    }

    [Fact]
    public void Copy_back_and_invalidate_labels()
    {
        var r = Run("1 0\n4 0\n1 40\n5 40\n0 40\n", L1());
        // 0x0 written back by label 4, then still cached clean; 0x40 discarded by label 5 and read again (miss).
        Assert.Equal(64, Row(r.Out, "l1-dcache", " Bytes To Memory")[0]);
        Assert.Equal(1, Row(r.Out, "l1-dcache", " Demand Misses")[Read]);
    }

    [Fact]
    public void Cache_maintenance_extension_records()
    {
        // write 0x0, CLWB it (written back, stays), read it (hit); write 0x40, CLFLUSH it (written back, gone),
        // read it (miss); non-temporal store to 0x80 (to memory); WBINVD.
        var r = Run("1 0\n8 0\n0 0\n1 40\n6 40\n0 40\n9 80\na 0\n", L1());
        Assert.Equal(128, Row(r.Out, "l1-dcache", " Bytes To Memory")[0]);
        Assert.Equal(1, Row(r.Out, "l1-dcache", " Demand Misses")[Read]);
        Assert.Contains("---Coherence extensions\n", r.Out, StringComparison.Ordinal);
        Assert.Contains(" NT bytes to memory\t           4\n", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Cores_option_reads_a_core_column_and_keeps_private_caches_coherent()
    {
        // Core 0 writes 0x0; core 1 reads it (core 0 writes its dirty copy back to the shared L2 first), then writes
        // it (core 0's clean copy is invalidated).
        var r = Run("0 1 0\n1 0 0\n1 1 0\n", [.. Din, "--cores", "2", "-l1-dsize", "1k", "-l1-dbsize", "64", "-l2-usize", "8k", "-l2-ubsize", "64"]);
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Equal(1, Row(r.Out, "c0-l1-dcache", " Demand Fetches")[Write]);
        Assert.Equal(1, Row(r.Out, "c1-l1-dcache", " Demand Fetches")[Read]);
        Assert.Equal(1, Row(r.Out, "c1-l1-dcache", " Demand Fetches")[Write]);
        Assert.Contains(" Snoop write-backs\t           1\n", r.Out, StringComparison.Ordinal);
        Assert.Contains(" Snoop invalidations\t           1\n", r.Out, StringComparison.Ordinal);
        var bad = Run("2 0 0\n", [.. Din, "--cores", "2", "-l1-dsize", "1k", "-l1-dbsize", "64"]);
        Assert.Equal(ExitCode.BadInput, bad.Code);
    }

    [Fact]
    public void Json_option_prints_statistics_as_json()
    {
        var r = Run("0 0\n1 40\n", L1("--json"));
        using var doc = JsonDocument.Parse(r.Out);
        var cache = doc.RootElement.GetProperty("caches")[0];
        Assert.Equal("l1-dcache", cache.GetProperty("name").GetString());
        Assert.Equal(2, cache.GetProperty("demandFetches").GetProperty("total").GetInt64());
        Assert.Equal(64, cache.GetProperty("bytesToMemory").GetInt64());
    }

    [Fact]
    public void Malformed_record_is_a_dinero_style_error_with_exit_code_2()
    {
        var r = Run("0 100\n0 1zz\n", L1());
        Assert.Equal(ExitCode.BadInput, r.Code);
        Assert.Contains("din format error on trace record 2: non hex digit (code 0x7a) in address", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-l1-dsize", "1000")]
    [InlineData("-l1-dsizee", "1k")]
    [InlineData("-l1-dsize", "1k", "-l1-dbsize", "64", "-l1-drepl", "x")]
    [InlineData("-l1-dsize", "1k", "-l1-dbsize", "64", "-l1-dassoc", "3")]
    [InlineData("-l1-usize", "1k", "-l1-ubsize", "64", "-l1-dsize", "1k", "-l1-dbsize", "64")]
    [InlineData("-l1-dsize", "1k", "-l1-dbsize", "64", "-informat", "x")]
    public void Bad_options_exit_with_code_2(params string[] args)
    {
        var r = Run("", args);
        Assert.Equal(ExitCode.BadInput, r.Code);
        Assert.StartsWith("coherence cachesim: ", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_trace_on_standard_input_is_detected()
    {
        var compressed = new MemoryStream();
        using (var gz = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write("0 0\n0 40\n"u8);
        }
        var stdout = new StringWriter { NewLine = "\n" };
        var code = CachesimCommand.Run(L1(), () => new MemoryStream(compressed.ToArray()), stdout, new StringWriter());
        Assert.Equal(ExitCode.Success, code);
        Assert.Equal(2, Row(stdout.ToString(), "l1-dcache", " Demand Fetches")[Total]);
    }

    [Fact]
    public void Help_lists_the_options()
    {
        var r = Run("", "-help");
        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains("-lN-Twalloc", r.Out, StringComparison.Ordinal);
        Assert.Contains("--cores N", r.Out, StringComparison.Ordinal);
    }
}
