using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coherence.Kernel.Tdx;

namespace Coherence.Cli.Bench;

/// <summary>
/// Issue 8 part 5: memory and time to mark, query and reset TDX-private pages with each tracker, for a host of
/// <see cref="Options.HostPages"/> 4-KiB pages (2^30 = 4 TiB) with 1 %, 10 % and 50 % of pages private. Private
/// pages come in 2 MiB runs (512 pages, as guest memory is handed out) chosen by a seeded hash. A tracker whose
/// structure would exceed <see cref="Options.MaxBytes"/> is measured on the largest power-of-two host that fits
/// and its memory and whole-host times are scaled up linearly, which the table says; per-query times are as
/// measured. Single-threaded, one run per row, through the interface (one interface call per operation).
/// </summary>
internal static class TdxTrackingBench
{
    private const int RunPages = 512;

    public sealed record Options(ulong HostPages, long MaxBytes, int Queries, IReadOnlyList<double> Fractions, ulong Seed)
    {
        public static Options Default { get; } = new(1UL << 30, 4L << 30, 10_000_000, [0.01, 0.10, 0.50], 0x7d8_2024);

        public static Options Quick { get; } = Default with { HostPages = 1UL << 24, Queries = 1_000_000 };
    }

    public sealed record Row(string Tracker, double Fraction, ulong HostPages, ulong MeasuredPages, long PrivatePages,
        long Bytes, long HeapDelta, double MarkSeconds, double MarkNsPerPage, double QueryNs, double ResetSeconds, long ResetCount)
    {
        public double Scale => (double)HostPages / MeasuredPages;
    }

    public static IReadOnlyList<Row> Run(Options o, Action<string>? progress = null)
    {
        var rows = new List<Row>();
        foreach (var f in o.Fractions)
        {
            foreach (var kind in new[] { "bitmap", "xarray", "page flag" })
            {
                var measured = MeasuredPages(kind, o.HostPages, f, o.MaxBytes);
                if (measured == 0)
                {
                    progress?.Invoke($"{kind} {f:P0}: does not fit in {o.MaxBytes >> 20} MiB even for 2^20 pages; skipped");
                    continue;
                }
                progress?.Invoke($"{kind} {f:P0}: {measured} pages measured for a {o.HostPages}-page host");
                rows.Add(Measure(kind, o, f, measured));
            }
        }
        return rows;
    }

    /// <summary>Estimated bytes of each structure once a fraction <paramref name="f"/> of <paramref name="pages"/> is private.</summary>
    public static long Estimate(string kind, ulong pages, double f) => kind switch
    {
        "bitmap" => BitmapPrivatePageTracker.BytesFor(pages),
        "page flag" => PageFlagPrivatePageTracker.BytesFor(pages),
        // One leaf per 64 private pages (runs are 64-aligned), plus about 1/63 of that in inner nodes.
        _ => (long)(f * pages / 64 * XarrayPrivatePageTracker.NodeBytes * 64 / 63) + 5 * XarrayPrivatePageTracker.NodeBytes,
    };

    private static ulong MeasuredPages(string kind, ulong host, double f, long maxBytes)
    {
        for (var p = host; p >= 1UL << 20; p >>= 1)
        {
            if (Estimate(kind, p, f) <= maxBytes && (kind != "page flag" || p <= (ulong)Array.MaxLength))
            {
                return p;
            }
        }
        return 0;
    }

    private static IPrivatePageTracker Create(string kind, ulong pages) => kind switch
    {
        "bitmap" => new BitmapPrivatePageTracker(pages),
        "page flag" => new PageFlagPrivatePageTracker(pages),
        _ => new XarrayPrivatePageTracker(pages),
    };

    /// <summary>
    /// Writes every 4 KiB of a preallocated structure once, untimed: a kernel allocates the bitmap zeroed
    /// (kvzalloc) and the memmap at boot, so neither pays first-touch page faults when pages are marked.
    /// </summary>
    private static void Prefault(IPrivatePageTracker t, string kind)
    {
        var step = kind switch
        {
            "bitmap" => 4096UL * 8,
            "page flag" => 4096UL / StructPage.Size,
            _ => 0UL,
        };
        if (step == 0)
        {
            return;
        }
        for (ulong p = 0; p < t.PageCount; p += step)
        {
            t.Mark(p);
            t.Clear(p);
        }
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static Row Measure(string kind, Options o, double f, ulong pages)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heap0 = GC.GetTotalMemory(true);
        var t = Create(kind, pages);
        Prefault(t, kind);
        var threshold = (ulong)(f * ulong.MaxValue);
        var runs = pages / RunPages;

        var sw = Stopwatch.StartNew();
        for (ulong r = 0; r < runs; r++)
        {
            if (Mix(r ^ o.Seed) >= threshold)
            {
                continue;
            }
            var first = r * RunPages;
            for (ulong p = first; p < first + RunPages; p++)
            {
                t.Mark(p);
            }
        }
        var mark = sw.Elapsed.TotalSeconds;
        var privatePages = t.PrivateCount;
        var heapDelta = GC.GetTotalMemory(true) - heap0;
        var bytes = t.MemoryBytes;

        var mask = pages - 1;
        long hits = 0;
        sw.Restart();
        for (var i = 0; i < o.Queries; i++)
        {
            if (t.IsPrivate(Mix((ulong)i + o.Seed) & mask))
            {
                hits++;
            }
        }
        var queryNs = sw.Elapsed.TotalNanoseconds / o.Queries;
        if (hits < 0)
        {
            throw new InvalidOperationException("unreachable");
        }

        sw.Restart();
        var reset = t.ResetAll();
        var resetSeconds = sw.Elapsed.TotalSeconds;
        if (reset != privatePages || t.PrivateCount != 0)
        {
            throw new InvalidOperationException($"{kind}: reset {reset} of {privatePages} private pages");
        }
        GC.KeepAlive(t);
        var scale = (double)o.HostPages / pages;
        return new Row(kind, f, o.HostPages, pages, (long)(privatePages * scale), (long)(bytes * scale), (long)(heapDelta * scale),
            mark * scale, privatePages == 0 ? 0 : mark * 1e9 / privatePages, queryNs, resetSeconds * scale, reset);
    }

    public static string Format(IReadOnlyList<Row> rows, Options o, string machine)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"machine: {machine}");
        sb.AppendLine(inv, $"host: {o.HostPages} pages of 4 KiB = {Size((long)o.HostPages * 4096)}; private pages in 2 MiB runs; {o.Queries} random queries; memory cap {Size(o.MaxBytes)}");
        sb.AppendLine(inv, $"seed's bitmap figure (RAM pages / 8): {Size(BitmapPrivatePageTracker.BytesFor(o.HostPages))}");
        sb.AppendLine();
        sb.AppendLine("| tracker | private | measured on | memory | vs bitmap | heap delta | mark (whole host) | mark per page | query | reset (whole host) |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        var bitmapBytes = BitmapPrivatePageTracker.BytesFor(o.HostPages);
        foreach (var r in rows)
        {
            var on = r.MeasuredPages == r.HostPages ? "full host" : $"{Size((long)r.MeasuredPages * 4096)} host, x{r.Scale:0}";
            sb.AppendLine(inv, $"| {r.Tracker} | {r.Fraction:P0} | {on} | {Size(r.Bytes)} | {(double)r.Bytes / bitmapBytes:0.##}x | {Size(r.HeapDelta)} | {r.MarkSeconds:0.00} s | {r.MarkNsPerPage:0.0} ns | {r.QueryNs:0.0} ns | {r.ResetSeconds:0.000} s |");
        }
        sb.AppendLine();
        sb.AppendLine("memory: the structure's own bytes (xarray: nodes x 576 B, the size of struct xa_node); heap delta: GC heap growth while marking, as a check.");
        sb.AppendLine("bitmap and page flag arrays are allocated and written once before timing (a kernel allocates them zeroed at init), so marks pay no first-touch faults.");
        sb.AppendLine("page flag: the model allocates a 64-byte struct page per page; in a kernel the memmap exists anyway and the flag costs one page-flag bit (0 extra bytes).");
        return sb.ToString();
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 40 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 40):0.##} TiB"),
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.##} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
