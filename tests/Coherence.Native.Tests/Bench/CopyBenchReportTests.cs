using System.Text.Json;
using Coherence.Native.Bench;

namespace Coherence.Native.Tests.Bench;

/// <summary>The rendering and statistics of the copy benchmark (the measurement itself is never run in tests).</summary>
public class CopyBenchReportTests
{
    private static readonly MachineDescription Machine = new("Test CPU", 2, "Linux", ".NET", "Avx512", "CLWB", "libpmem.so.1 loaded");

    private static CopyBenchReport Report(params CopyBenchRow[] rows) => new(Machine, CopyBenchOptions.Quick, rows);

    [Theory]
    [InlineData(new double[] { 3 }, 3)]
    [InlineData(new double[] { 5, 1, 3 }, 3)]
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
    public void Median_is_the_middle_value(double[] values, double expected) => Assert.Equal(expected, Statistics.Median(values));

    [Fact]
    public void Median_of_nothing_is_an_error() => Assert.Throws<ArgumentException>(() => Statistics.Median([]));

    [Theory]
    [InlineData(64, "64 B")]
    [InlineData(4096, "4 KiB")]
    [InlineData(64L << 20, "64 MiB")]
    [InlineData(1000, "1000 B")]
    public void Sizes_read_as_units(long bytes, string text) => Assert.Equal(text, CopyBenchReport.FormatSize(bytes));

    [Fact]
    public void Json_has_the_documented_fields_and_nulls_for_absent_libpmem()
    {
        var json = Report(new CopyBenchRow(64, false, 2.0, 1.0, 0.5, 30), new CopyBenchRow(256, true, 2.0, null, null, 30)).RenderJson();
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("Test CPU", doc.RootElement.GetProperty("machine").GetProperty("model").GetString());
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal(2, rows.GetArrayLength());
        var first = rows[0];
        Assert.Equal(64, first.GetProperty("size").GetInt64());
        Assert.False(first.GetProperty("misaligned").GetBoolean());
        Assert.Equal(2.0, first.GetProperty("coherence").GetDouble());
        Assert.Equal(1.0, first.GetProperty("libpmemNt").GetDouble());
        Assert.Equal(0.5, first.GetProperty("libpmemPersist").GetDouble());
        Assert.Equal(30, first.GetProperty("memcpy").GetDouble());
        Assert.Equal(2.0, first.GetProperty("ratioToLibpmem").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("libpmemNt").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("ratioToLibpmem").ValueKind);
        Assert.True(rows[1].GetProperty("misaligned").GetBoolean());
    }

    [Fact]
    public void Table_shows_every_row_and_judges_both_targets()
    {
        var table = Report(
            new CopyBenchRow(64, false, 1.0, 2.0, 1.0, 30),
            new CopyBenchRow(1 << 20, true, 20, 10, 10, 21)).RenderTable();
        Assert.Contains("machine: Test CPU, 2 cores", table, StringComparison.Ordinal);
        Assert.Contains("| 64 B | aligned | 1.00 | 2.00 | 1.00 | 30.00 | 0.50 | 0.03 |", table, StringComparison.Ordinal);
        Assert.Contains("| 1 MiB | +5 | 20.00 | 10.00 | 10.00 | 21.00 | 2.00 | 0.95 |", table, StringComparison.Ordinal);
        Assert.Contains("NOT met at 64 B aligned", table, StringComparison.Ordinal);
        Assert.Contains("within 10% of memcpy at 1 MiB and above: met", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ratio_is_the_median_of_the_paired_runs_when_they_were_recorded()
    {
        // Medians alone would give 0.90; the runs paired back to back give 1.02, and the table judges that.
        var row = new CopyBenchRow(4096, false, 9.0, 10.0, 10.0, 50, PairedRatio: 1.02);
        Assert.Equal(1.02, row.RatioToLibpmem);
        var table = Report(row).RenderTable();
        Assert.Contains("| 4 KiB | aligned | 9.00 | 10.00 | 10.00 | 50.00 | 1.02 | 0.18 |", table, StringComparison.Ordinal);
        Assert.Contains("ratio to libpmem NT >= 1.0 at every size and alignment: met", table, StringComparison.Ordinal);
        Assert.Contains("median over the runs", table, StringComparison.Ordinal);
        Assert.Null(new CopyBenchRow(4096, false, 9.0, null, null, 50, PairedRatio: 1.02).RatioToLibpmem);
    }

    [Fact]
    public void Without_libpmem_the_ratio_is_not_judged()
    {
        var table = Report(new CopyBenchRow(64, false, 1.0, null, null, 30)).RenderTable();
        Assert.Contains("| — | — |", table, StringComparison.Ordinal);
        Assert.Contains("not judged (libpmem absent)", table, StringComparison.Ordinal);
    }
}
