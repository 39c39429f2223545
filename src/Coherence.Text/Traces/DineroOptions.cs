using System.Globalization;
using Coherence.Platform.TraceSim;

namespace Coherence.Text.Traces;

/// <summary>
/// The command line of <c>coherence cachesim</c>: Dinero IV's options (single dash, <c>-lN-T…</c> for cache N of
/// type T) plus Coherence's double-dash extensions and an optional trace path. Build one with
/// <see cref="DineroOptionParser.Parse"/>.
/// </summary>
public sealed class DineroOptions
{
    /// <summary>The hierarchy and run controls.</summary>
    public CachesimConfig Simulation { get; } = new();

    /// <summary>Input format (<c>-informat</c>); Dinero's default is extended din.</summary>
    public TraceFormat InputFormat { get; set; } = TraceFormat.ExtendedDin;

    /// <summary>Prefetch distances given with <c>-lN-Tpfdist</c> (printed in the summary only; demand fetch ignores
    /// them), indexed [role, level-1].</summary>
    public int[,] PrefetchDistance { get; } = new int[3, CachesimConfig.MaxLevels];

    /// <summary>Report instruction and data caches of a level together (<c>-stat-idcombine</c>).</summary>
    public bool StatIdCombine { get; set; }

    /// <summary>Print statistics as JSON instead of Dinero's report (<c>--json</c>).</summary>
    public bool Json { get; set; }

    /// <summary>Trace lines start with a core id (<c>--cores N</c>); 0 when there is no core column.</summary>
    public int CoreColumn { get; set; }

    /// <summary>The trace file, or null (or "-") for standard input.</summary>
    public string? TracePath { get; set; }

    /// <summary>Whether <c>-help</c> (or <c>--help</c>) was given.</summary>
    public bool Help { get; set; }

    /// <summary>The summary of options Dinero prints before simulating, one option per line, in Dinero's order.</summary>
    public string Summary()
    {
        var sim = Simulation;
        var levels = sim.LevelCount;
        var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        void PerCache(string name, Func<CacheLevelConfig, CacheRole, int, string?> value)
        {
            for (var role = 0; role < 3; role++)
            {
                for (var level = 1; level <= levels; level++)
                {
                    if (sim[level, (CacheRole)role] is { } c && value(c, (CacheRole)role, level) is { } v)
                    {
                        w.WriteLine($"-l{level}-{"uid"[role]}{name} {v}");
                    }
                }
            }
        }
        PerCache("size", (c, _, _) => c.SizeBytes.ToString(CultureInfo.InvariantCulture));
        PerCache("bsize", (c, _, _) => c.BlockSize.ToString(CultureInfo.InvariantCulture));
        PerCache("sbsize", (c, _, _) => (c.SubBlockSize == 0 ? c.BlockSize : c.SubBlockSize).ToString(CultureInfo.InvariantCulture));
        PerCache("assoc", (c, _, _) => c.Associativity.ToString(CultureInfo.InvariantCulture));
        PerCache("repl", (c, _, _) => ((char)c.Replacement).ToString());
        PerCache("fetch", (_, _, _) => "d");
        PerCache("pfdist", (_, role, level) => PrefetchDistance[(int)role, level - 1] is var d and not 0 ? d.ToString(CultureInfo.InvariantCulture) : null);
        PerCache("walloc", (c, role, _) => role == CacheRole.Instruction ? null : ((char)c.WriteAllocate).ToString());
        PerCache("wback", (c, role, _) => role == CacheRole.Instruction ? null : ((char)c.WriteBack).ToString());
        w.WriteLine($"-skipcount {sim.SkipCount}");
        w.WriteLine($"-flushcount {sim.FlushCount}");
        w.WriteLine($"-maxcount {sim.MaxCount}");
        w.WriteLine($"-stat-interval {sim.StatInterval}");
        w.WriteLine($"-informat {(char)InputFormat}");
        w.WriteLine($"-on-trigger 0x{sim.OnTrigger:x}");
        w.WriteLine($"-off-trigger 0x{sim.OffTrigger:x}");
        if (StatIdCombine)
        {
            w.WriteLine("-stat-idcombine");
        }
        return w.ToString();
    }
}
