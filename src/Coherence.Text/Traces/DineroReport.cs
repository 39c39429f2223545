using System.Globalization;
using System.Numerics;
using System.Text;
using Coherence.Platform.TraceSim;

namespace Coherence.Text.Traces;

/// <summary>
/// Writes Dinero IV's text output: the banner and summary of options, the per-cache statistics (the same lines,
/// tabs and widths as its <c>do1stats</c>, with <c>%12.4f</c> rounded exactly as C's printf rounds), and Coherence's
/// extension counters when extensions were used.
/// </summary>
public static class DineroReport
{
    /// <summary>Writes the banner and summary of options, then "---Simulation begins.".</summary>
    public static void WriteHeader(TextWriter output, DineroOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var s = new StringBuilder();
        s.Append("---Dinero IV cache simulator, version 8\n");
        s.Append("---Written by Jan Edler and Mark D. Hill\n");
        s.Append("---Copyright (C) 1997 NEC Research Institute, Inc. and Mark D. Hill.\n");
        s.Append("---All rights reserved.\n");
        s.Append("---Copyright (C) 1985, 1989 Mark D. Hill.  All rights reserved.\n");
        s.Append("---See -copyright option for details\n");
        s.Append("\n---Summary of options (-help option gives usage information).\n\n");
        s.Append(options.Summary());
        s.Append("\n---Simulation begins.\n");
        output.Write(s.ToString());
    }

    /// <summary>Writes the end of the run: the max-count notice if any, "---Simulation complete.", the statistics
    /// and "---Execution complete.".</summary>
    public static void WriteFooter(TextWriter output, TraceSimulator simulator, DineroOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(simulator);
        var s = new StringBuilder();
        if (simulator.MaxCountExceeded)
        {
            s.Append("---Maximum address count exceeded.\n");
        }
        s.Append("---Simulation complete.\n");
        AppendStatistics(s, simulator, options);
        s.Append("---Execution complete.\n");
        output.Write(s.ToString());
    }

    /// <summary>Writes the statistics of every cache (as Dinero's dostats, also used for <c>-stat-interval</c>).</summary>
    public static void WriteStatistics(TextWriter output, TraceSimulator simulator, DineroOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        var s = new StringBuilder();
        AppendStatistics(s, simulator, options);
        output.Write(s.ToString());
    }

    private static void AppendStatistics(StringBuilder s, TraceSimulator simulator, DineroOptions options)
    {
        var caches = simulator.Caches;
        for (var i = 0; i < caches.Count; i++)
        {
            var c = caches[i];
            if (options.StatIdCombine && c.Role == CacheRole.Instruction && i + 1 < caches.Count
                && caches[i + 1] is { Role: CacheRole.Data } d && d.Level == c.Level && SameCore(c.Name, d.Name))
            {
                var combined = new Counters(c);
                combined.Add(new Counters(d));
                AppendCache(s, c.Name.Replace($"l{c.Level}-icache", $"l{c.Level}-I/Dcaches", StringComparison.Ordinal), combined);
                i++;
                continue;
            }
            AppendCache(s, c.Name, new Counters(c));
        }
        if (simulator.UsedExtensions)
        {
            AppendExtensions(s, simulator);
        }
    }

    private static bool SameCore(string a, string b) => CorePrefix(a) == CorePrefix(b);

    private static string CorePrefix(string name)
    {
        var i = name.IndexOf("-l", StringComparison.Ordinal);
        return i > 0 ? name[..i] : "";
    }

    private static void AppendExtensions(StringBuilder s, TraceSimulator sim)
    {
        s.Append("---Coherence extensions\n");
        s.Append(Invariant($" CLFLUSH records\t{sim.RecordCount(TraceOp.Clflush),12}\n"));
        s.Append(Invariant($" CLFLUSHOPT records\t{sim.RecordCount(TraceOp.Clflushopt),12}\n"));
        s.Append(Invariant($" CLWB records\t\t{sim.RecordCount(TraceOp.Clwb),12}\n"));
        s.Append(Invariant($" NT store records\t{sim.RecordCount(TraceOp.NonTemporalStore),12}\n"));
        s.Append(Invariant($" NT bytes to memory\t{sim.NonTemporalBytes,12}\n"));
        s.Append(Invariant($" WBINVD records\t\t{sim.RecordCount(TraceOp.Wbinvd),12}\n"));
        s.Append(Invariant($" Cores\t\t\t{sim.Config.Cores,12}\n"));
        s.Append(Invariant($" Snoop write-backs\t{sim.SnoopWriteBacks,12}\n"));
        s.Append(Invariant($" Snoop invalidations\t{sim.SnoopInvalidations,12}\n"));
        s.Append('\n');
    }

    private static string Invariant(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);

    /// <summary>One cache's counters as doubles, as Dinero keeps them.</summary>
    private sealed class Counters
    {
        public Counters(SimCache c)
        {
            for (var t = 0; t < 4; t++)
            {
                Fetch[t] = c.Fetches((TraceOp)t);
                Miss[t] = c.Misses((TraceOp)t);
            }
            MultiBlock = c.MultiBlockReferences;
            BytesRead = c.BytesRead;
            BytesWritten = c.BytesWritten;
        }

        public long[] Fetch { get; } = new long[4];

        public long[] Miss { get; } = new long[4];

        public long MultiBlock { get; private set; }

        public long BytesRead { get; private set; }

        public long BytesWritten { get; private set; }

        public void Add(Counters o)
        {
            for (var t = 0; t < 4; t++)
            {
                Fetch[t] += o.Fetch[t];
                Miss[t] += o.Miss[t];
            }
            MultiBlock += o.MultiBlock;
            BytesRead += o.BytesRead;
            BytesWritten += o.BytesWritten;
        }
    }

    private const int R = 0;
    private const int W = 1;
    private const int I = 2;
    private const int M = 3;

    private static void AppendCache(StringBuilder s, string name, Counters c)
    {
        var f = c.Fetch;
        var m = c.Miss;
        double fetchData = f[M] + f[R] + f[W];
        var fetchAll = fetchData + f[I];
        s.Append(name).Append('\n');
        s.Append(" Metrics\t\t      Total\t      Instrn\t       Data\t       Read\t      Write\t       Misc\n");
        s.Append(" -----------------\t      ------\t      ------\t      ------\t      ------\t      ------\t      ------\n");
        Row(s, " Demand Fetches\t\t", fetchAll, f[I], fetchData, f[R], f[W], f[M]);
        var total = NonZero(fetchAll);
        RowRatio(s, "  Fraction of total\t", fetchAll / total, f[I] / total, fetchData / total, f[R] / total, f[W] / total, f[M] / total);
        s.Append('\n');
        double missData = m[M] + m[R] + m[W];
        var missAll = missData + m[I];
        Row(s, " Demand Misses\t\t", missAll, m[I], missData, m[R], m[W], m[M]);
        RowRatio(s, "  Demand miss rate\t", missAll / NonZero(fetchAll), m[I] / NonZero(f[I]), missData / NonZero(fetchData),
            m[R] / NonZero(f[R]), m[W] / NonZero(f[W]), m[M] / NonZero(f[M]));
        s.Append('\n');
        s.Append(" Multi-block refs      ").Append(Int(c.MultiBlock)).Append('\n');
        s.Append(" Bytes From Memory\t").Append(Int(c.BytesRead)).Append('\n');
        s.Append(" ( / Demand Fetches)\t").Append(Fixed4(c.BytesRead / NonZero(fetchAll))).Append('\n');
        s.Append(" Bytes To Memory\t").Append(Int(c.BytesWritten)).Append('\n');
        s.Append(" ( / Demand Writes)\t").Append(Fixed4(c.BytesWritten / NonZero(f[W]))).Append('\n');
        s.Append(" Total Bytes r/w Mem\t").Append(Int(c.BytesRead + c.BytesWritten)).Append('\n');
        s.Append(" ( / Demand Fetches)\t").Append(Fixed4((c.BytesRead + c.BytesWritten) / NonZero(fetchAll))).Append('\n');
        s.Append('\n');
    }

    private static double NonZero(double v) => v == 0.0 ? 1.0 : v;

    private static void Row(StringBuilder s, string label, double a, double b, double c, double d, double e, double f)
    {
        s.Append(label).Append(Int(a)).Append('\t').Append(Int(b)).Append('\t').Append(Int(c)).Append('\t')
            .Append(Int(d)).Append('\t').Append(Int(e)).Append('\t').Append(Int(f)).Append('\n');
    }

    private static void RowRatio(StringBuilder s, string label, double a, double b, double c, double d, double e, double f)
    {
        s.Append(label).Append(Fixed4(a)).Append('\t').Append(Fixed4(b)).Append('\t').Append(Fixed4(c)).Append('\t')
            .Append(Fixed4(d)).Append('\t').Append(Fixed4(e)).Append('\t').Append(Fixed4(f)).Append('\n');
    }

    /// <summary>C's <c>%12.0f</c> of a whole number.</summary>
    private static string Int(double v) => ((long)v).ToString(CultureInfo.InvariantCulture).PadLeft(12);

    /// <summary>
    /// C's <c>%12.4f</c>: the double's exact binary value rounded to 4 decimals, ties to even (glibc), right-aligned in
    /// 12 characters. .NET's own "F4" rounds ties away from zero, which differs for values such as 1/32.
    /// </summary>
    public static string Fixed4(double v)
    {
        var negative = v < 0;
        v = Math.Abs(v);
        var bits = BitConverter.DoubleToInt64Bits(v);
        var exponent = (int)((bits >> 52) & 0x7ff);
        var mantissa = bits & ((1L << 52) - 1);
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }
        exponent -= 1075;
        var scaled = new BigInteger(mantissa) * 10_000;
        BigInteger q;
        if (exponent >= 0)
        {
            q = scaled << exponent;
        }
        else
        {
            var denominator = BigInteger.One << -exponent;
            q = BigInteger.DivRem(scaled, denominator, out var remainder);
            var twice = remainder * 2;
            if (twice > denominator || (twice == denominator && !q.IsEven))
            {
                q += 1;
            }
        }
        var whole = BigInteger.DivRem(q, 10_000, out var fraction);
        var text = (negative && q != 0 ? "-" : "") + whole.ToString(CultureInfo.InvariantCulture) + "." + ((int)fraction).ToString("D4", CultureInfo.InvariantCulture);
        return text.PadLeft(12);
    }
}
