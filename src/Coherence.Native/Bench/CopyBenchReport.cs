using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Coherence.Native.Bench;

/// <summary>The result of a copy benchmark and its renderings (a text table, a JSON document).</summary>
/// <param name="Machine">Where it ran.</param>
/// <param name="Options">What was measured.</param>
/// <param name="Rows">One row per size and alignment.</param>
public sealed record CopyBenchReport(MachineDescription Machine, CopyBenchOptions Options, IReadOnlyList<CopyBenchRow> Rows)
{
    /// <summary>A human-readable size: <c>64 B</c>, <c>4 KiB</c>, <c>64 MiB</c>.</summary>
    public static string FormatSize(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB"
        : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? $"{bytes >> 10} KiB"
        : $"{bytes} B";

    /// <summary>A Markdown table of medians in GB/s, preceded by the machine and followed by the targets' verdicts.</summary>
    public string RenderTable()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"machine: {Machine.Model}, {Machine.Cores} cores; {Machine.Os}; {Machine.Runtime}\n");
        sb.Append(inv, $"copy: {Machine.Rung}, write-back {Machine.WriteBack}; libpmem: {Machine.Libpmem}\n");
        sb.Append(inv, $"GB/s = 10^9 bytes/s, median of {Options.Runs} interleaved runs of ~{Options.SampleSeconds * 1000:0.#} ms; misaligned = destination +{Options.MisalignBy} bytes\n");
        sb.Append("ratio to libpmem NT = median over the runs of coherence / libpmem NT measured back to back in the same run\n\n");
        sb.Append("| size | dst | coherence | libpmem NT | libpmem persist | memcpy | ratio to libpmem NT | ratio to memcpy |\n");
        sb.Append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in Rows)
        {
            sb.Append(inv, $"| {FormatSize(r.Size)} | {(r.Misaligned ? $"+{Options.MisalignBy}" : "aligned")} | {r.Coherence:0.00} | {Gbps(r.LibpmemNt)} | {Gbps(r.LibpmemPersist)} | {r.Memcpy:0.00} | {Ratio(r.RatioToLibpmem)} | {r.RatioToMemcpy:0.00} |\n");
        }

        sb.Append('\n');
        var withLibpmem = Rows.Where(r => r.RatioToLibpmem is not null).ToList();
        if (withLibpmem.Count == 0)
        {
            sb.Append("target ratio to libpmem NT >= 1.0: not judged (libpmem absent)\n");
        }
        else
        {
            var below = withLibpmem.Where(r => r.RatioToLibpmem < 1.0).Select(Label).ToList();
            sb.Append(below.Count == 0
                ? "target ratio to libpmem NT >= 1.0 at every size and alignment: met\n"
                : $"target ratio to libpmem NT >= 1.0 at every size and alignment: NOT met at {string.Join(", ", below)}\n");
        }

        var large = Rows.Where(r => r.Size >= 1 << 20).ToList();
        var slow = large.Where(r => r.RatioToMemcpy < 0.9).Select(Label).ToList();
        sb.Append(slow.Count == 0
            ? "target within 10% of memcpy at 1 MiB and above: met\n"
            : $"target within 10% of memcpy at 1 MiB and above: NOT met at {string.Join(", ", slow)}\n");
        return sb.ToString();
    }

    /// <summary>
    /// The JSON document <c>{"machine":{…},"rows":[{"size":N,"misaligned":bool,"coherence":GBps,"libpmemNt":GBps,
    /// "libpmemPersist":GBps,"memcpy":GBps,"ratioToLibpmem":x}]}</c>; absent figures are null.
    /// </summary>
    public string RenderJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("machine");
            w.WriteString("model", Machine.Model);
            w.WriteNumber("cores", Machine.Cores);
            w.WriteString("os", Machine.Os);
            w.WriteString("runtime", Machine.Runtime);
            w.WriteString("rung", Machine.Rung);
            w.WriteString("writeBack", Machine.WriteBack);
            w.WriteString("libpmem", Machine.Libpmem);
            w.WriteNumber("runs", Options.Runs);
            w.WriteNumber("misalignBy", Options.MisalignBy);
            w.WriteEndObject();
            w.WriteStartArray("rows");
            foreach (var r in Rows)
            {
                w.WriteStartObject();
                w.WriteNumber("size", r.Size);
                w.WriteBoolean("misaligned", r.Misaligned);
                w.WriteNumber("coherence", Round(r.Coherence));
                WriteOptional(w, "libpmemNt", r.LibpmemNt);
                WriteOptional(w, "libpmemPersist", r.LibpmemPersist);
                w.WriteNumber("memcpy", Round(r.Memcpy));
                WriteOptional(w, "ratioToLibpmem", r.RatioToLibpmem);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private string Label(CopyBenchRow r) => $"{FormatSize(r.Size)} {(r.Misaligned ? $"+{Options.MisalignBy}" : "aligned")}";

    private static string Gbps(double? value) => value is double v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static string Ratio(double? value) => value is double v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static double Round(double value) => Math.Round(value, 3);

    private static void WriteOptional(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v)
        {
            w.WriteNumber(name, Round(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
