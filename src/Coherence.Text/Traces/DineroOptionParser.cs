using System.Globalization;
using System.Numerics;
using Coherence.Platform.TraceSim;

namespace Coherence.Text.Traces;

/// <summary>A bad command line for <c>coherence cachesim</c>; the message says what and how to fix it.</summary>
public sealed class DineroOptionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DineroOptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public DineroOptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public DineroOptionException()
    {
    }
}

/// <summary>
/// Parses Dinero IV's command line (its option names, value syntax, defaults and consistency checks, with its
/// messages), plus Coherence's extensions <c>--cores N</c>, <c>--json</c>, <c>--seed N</c> and one trace path.
/// </summary>
public static class DineroOptionParser
{
    private static readonly string[] PerCacheNames = ["size", "bsize", "sbsize", "assoc", "repl", "fetch", "pfdist", "pfabort", "walloc", "wback", "ccc"];
    private static readonly string[] GlobalNames = ["-help", "-copyright", "-contact", "-dineroIII", "-custom", "-skipcount", "-flushcount", "-maxcount", "-stat-interval", "-informat", "-on-trigger", "-off-trigger", "-stat-idcombine", "--cores", "--json", "--seed", "--help"];

    /// <summary>The usage text printed for <c>-help</c>.</summary>
    public const string Usage = """
        Usage: coherence cachesim [options] [TRACE]
        Reads a memory trace (a file, or standard input when TRACE is absent or -; gzip is detected) and replays it
        through the cache hierarchy the options describe, printing Dinero IV's statistics.
        Dinero IV options (N is the level 1-5, T the cache type u=unified, i=instruction, d=data):
         -lN-Tsize P      cache size in bytes (k, m, g suffixes; power of 2)
         -lN-Tbsize P     block size in bytes (power of 2)
         -lN-Tsbsize P    sub-block size (must equal the block size)
         -lN-Tassoc U     associativity (default 1)
         -lN-Trepl C      replacement policy: l=LRU, f=FIFO, r=random (default l)
         -lN-Tfetch C     fetch policy: d=demand (the only one supported; default d)
         -lN-Twalloc C    write allocate: a=always, n=never, f=nofetch (default a)
         -lN-Twback C     write back: a=always, n=never (write through), f=nofetch (default a)
         -skipcount U     skip the first U records
         -flushcount U    copy back and invalidate every cache after every U records
         -maxcount U      stop after U records
         -stat-interval U print statistics after every U records
         -informat C      trace format: d=din (label address), D=extended din (type address size) (default D)
         -on-trigger A    discard records until one at hex address A
         -off-trigger A   discard records from one at hex address A
         -stat-idcombine  report the i and d caches of a level together
        Coherence extensions:
         --cores N        N cores: every level but the last is private to each core, the last is shared;
                          each trace line starts with a decimal core id below N
         --json           print the statistics as JSON
         --seed N         seed of the random replacement policy (default 1)
        See docs/cachesim.md for the trace grammar and the cache-maintenance records.
        """;

    /// <summary>Parses <paramref name="args"/> and checks the result the way Dinero's verify_options does. Throws
    /// <see cref="DineroOptionException"/> with the problem.</summary>
    public static DineroOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new DineroOptions();
        var raw = new RawCache?[3, CachesimConfig.MaxLevels];
        var i = 0;
        while (i < args.Count)
        {
            var opt = args[i];
            var arg = i + 1 < args.Count ? args[i + 1] : null;
            if (opt.Length == 0 || opt[0] != '-' || opt == "-")
            {
                if (o.TracePath is not null)
                {
                    throw new DineroOptionException($"only one trace may be given (\"{o.TracePath}\" and \"{opt}\")");
                }
                o.TracePath = opt;
                i++;
                continue;
            }
            if (TryLevel(opt, out var level, out var role, out var name))
            {
                i += ParsePerCache(opt, name, level, role, arg, raw, o);
                continue;
            }
            i += ParseGlobal(opt, arg, o);
        }
        if (o.Help)
        {
            return o;
        }
        Verify(raw, o);
        return o;
    }

    private sealed class RawCache
    {
        public long Size;
        public int BlockSize;
        public int SubBlockSize;
        public int Assoc;
        public char Repl;
        public char Fetch;
        public int PfDist;
        public int PfAbort;
        public char Walloc;
        public char Wback;

        public int Count(bool instruction) => (BlockSize != 0 ? 1 : 0) + (SubBlockSize != 0 ? 1 : 0) + (Size != 0 ? 1 : 0)
            + (Assoc != 0 ? 1 : 0) + (Repl != 0 ? 1 : 0) + (Fetch != 0 ? 1 : 0)
            + (instruction ? 0 : (Walloc != 0 ? 1 : 0) + (Wback != 0 ? 1 : 0));
    }

    private static bool TryLevel(string opt, out int level, out int role, out string name)
    {
        level = 0;
        role = 0;
        name = "";
        if (opt.Length < 5 || opt[1] != 'l')
        {
            return false;
        }
        var p = 2;
        while (p < opt.Length && char.IsAsciiDigit(opt[p]))
        {
            p++;
        }
        if (p == 2 || p + 2 > opt.Length || opt[p] != '-' || !int.TryParse(opt.AsSpan(2, p - 2), NumberStyles.None, CultureInfo.InvariantCulture, out level)
            || level < 1 || level > CachesimConfig.MaxLevels)
        {
            return false;
        }
        role = opt[p + 1] switch { 'u' => 0, 'i' => 1, 'd' => 2, _ => -1 };
        if (role < 0)
        {
            return false;
        }
        name = opt[(p + 2)..];
        return Array.IndexOf(PerCacheNames, name) >= 0;
    }

    private static int ParsePerCache(string opt, string name, int level, int role, string? arg, RawCache?[,] raw, DineroOptions o)
    {
        var c = raw[role, level - 1] ??= new RawCache();
        if (name == "ccc")
        {
            throw new DineroOptionException($"\"{opt}\": compulsory/capacity/conflict statistics are not supported by coherence cachesim");
        }
        var value = RequireArg(opt, arg);
        switch (name)
        {
            case "size":
                c.Size = Pow2(opt, value);
                break;
            case "bsize":
                c.BlockSize = (int)Math.Min(Pow2(opt, value), int.MaxValue);
                break;
            case "sbsize":
                c.SubBlockSize = (int)Math.Min(Pow2(opt, value), int.MaxValue);
                break;
            case "assoc":
                c.Assoc = (int)Math.Min(Unsigned(opt, value, scaled: false), int.MaxValue);
                break;
            case "pfdist":
                c.PfDist = (int)Math.Min(Unsigned(opt, value, scaled: false), int.MaxValue);
                o.PrefetchDistance[role, level - 1] = c.PfDist;
                break;
            case "pfabort":
                c.PfAbort = (int)Math.Min(Unsigned(opt, value, scaled: false), int.MaxValue);
                break;
            default:
                if (value.Length != 1)
                {
                    throw Bad(opt, value);
                }
                switch (name)
                {
                    case "repl":
                        c.Repl = value[0];
                        break;
                    case "fetch":
                        c.Fetch = value[0];
                        break;
                    case "walloc":
                        c.Walloc = value[0];
                        break;
                    default:
                        c.Wback = value[0];
                        break;
                }
                break;
        }
        return 2;
    }

    private static int ParseGlobal(string opt, string? arg, DineroOptions o)
    {
        var sim = o.Simulation;
        switch (opt)
        {
            case "-help":
            case "--help":
            case "-h":
                o.Help = true;
                return 1;
            case "-stat-idcombine":
                o.StatIdCombine = true;
                return 1;
            case "--json":
                o.Json = true;
                return 1;
            case "-skipcount":
                sim.SkipCount = Unsigned(opt, RequireArg(opt, arg), scaled: true);
                return 2;
            case "-flushcount":
                sim.FlushCount = Unsigned(opt, RequireArg(opt, arg), scaled: true);
                return 2;
            case "-maxcount":
                sim.MaxCount = Unsigned(opt, RequireArg(opt, arg), scaled: true);
                return 2;
            case "-stat-interval":
                sim.StatInterval = Unsigned(opt, RequireArg(opt, arg), scaled: true);
                return 2;
            case "-informat":
                var f = RequireArg(opt, arg);
                if (f.Length != 1)
                {
                    throw Bad(opt, f);
                }
                o.InputFormat = f[0] switch
                {
                    'd' => TraceFormat.Din,
                    'D' => TraceFormat.ExtendedDin,
                    _ => throw new DineroOptionException($"input format '{f}' is not supported: use d (din) or D (extended din)"),
                };
                return 2;
            case "-on-trigger":
                sim.OnTrigger = HexAddress(opt, RequireArg(opt, arg));
                return 2;
            case "-off-trigger":
                sim.OffTrigger = HexAddress(opt, RequireArg(opt, arg));
                return 2;
            case "--cores":
                var n = Unsigned(opt, RequireArg(opt, arg), scaled: false);
                if (n < 1 || n > 1024)
                {
                    throw new DineroOptionException($"--cores {arg}: the number of cores must be between 1 and 1024");
                }
                sim.Cores = (int)n;
                o.CoreColumn = (int)n;
                return 2;
            case "--seed":
                sim.RandomSeed = (ulong)Unsigned(opt, RequireArg(opt, arg), scaled: false);
                return 2;
            case "-copyright":
            case "-contact":
            case "-dineroIII":
            case "-custom":
                throw new DineroOptionException($"\"{opt}\" is a Dinero IV option that coherence cachesim does not offer");
            default:
                var hint = Suggest(opt);
                throw new DineroOptionException($"\"{opt}\" option not recognized.{(hint is null ? "" : $" Did you mean \"{hint}\"?")}");
        }
    }

    private static void Verify(RawCache?[,] raw, DineroOptions o)
    {
        var sim = o.Simulation;
        var maxLevel = 0;
        for (var level = 1; level <= CachesimConfig.MaxLevels; level++)
        {
            for (var role = 0; role < 3; role++)
            {
                if (raw[role, level - 1] is not null)
                {
                    maxLevel = level;
                }
            }
        }
        if (maxLevel == 0)
        {
            throw new DineroOptionException("cache size and block size must be specified,\ne.g.: -l1-isize 16k -l1-dsize 8192 -l1-ibsize 32 -l1-dbsize 16");
        }
        for (var level = 1; level <= maxLevel; level++)
        {
            var present = 0;
            for (var role = 0; role < 3; role++)
            {
                var c = raw[role, level - 1];
                if (c is null)
                {
                    continue;
                }
                present++;
                var id = "uid"[role];
                if (c.BlockSize != 0 && c.SubBlockSize == 0)
                {
                    c.SubBlockSize = c.BlockSize;
                }
                if (c.Size != 0)
                {
                    c.Assoc = c.Assoc == 0 ? 1 : c.Assoc;
                    c.Repl = c.Repl == 0 ? 'l' : c.Repl;
                    c.Fetch = c.Fetch == 0 ? 'd' : c.Fetch;
                    if (role != 1)
                    {
                        c.Walloc = c.Walloc == 0 ? 'a' : c.Walloc;
                        c.Wback = c.Wback == 0 ? 'a' : c.Wback;
                    }
                }
                if (role == 1 && c.Walloc != 0)
                {
                    throw new DineroOptionException($"level {level} icache cannot have write allocate policy");
                }
                if (role == 1 && c.Wback != 0)
                {
                    throw new DineroOptionException($"level {level} icache cannot have write back policy");
                }
                if (c.Count(role == 1) != 6 + (role != 1 ? 2 : 0))
                {
                    var what = c.BlockSize == 0 ? $"block size must be specified, e.g., -l{level}-{id}bsize 16" : $"size must be specified, e.g., -l{level}-{id}size 16k";
                    throw new DineroOptionException($"level {level} {id}cache {what}\nlevel {level} cache parameters incomplete");
                }
                if (c.Repl is not ('l' or 'f' or 'r'))
                {
                    throw new DineroOptionException($"level {level} {id}cache replacement policy unrecognized (l, f or r)");
                }
                if (c.Fetch is not ('d' or 'a' or 'm' or 't' or 'l' or 's'))
                {
                    throw new DineroOptionException($"level {level} {id}cache fetch policy unrecognized");
                }
                if (c.Fetch != 'd')
                {
                    throw new DineroOptionException($"level {level} {id}cache fetch policy '{c.Fetch}': only demand fetch (d) is supported by coherence cachesim");
                }
                if (c.PfAbort != 0)
                {
                    throw new DineroOptionException($"level {level} {id}cache abort % not allowed with demand fetch policy");
                }
                if (role != 1 && c.Walloc is not ('a' or 'n' or 'f'))
                {
                    throw new DineroOptionException($"level {level} {id}cache write allocate policy unrecognized (a, n or f)");
                }
                if (role != 1 && c.Wback is not ('a' or 'n' or 'f'))
                {
                    throw new DineroOptionException($"level {level} {id}cache write back policy unrecognized (a, n or f)");
                }
                if (c.SubBlockSize > c.BlockSize)
                {
                    throw new DineroOptionException($"level {level} {id}cache has sub-blocksize > blocksize");
                }
                if (c.SubBlockSize != c.BlockSize)
                {
                    throw new DineroOptionException($"level {level} {id}cache: sub-blocks smaller than the block are not supported by coherence cachesim");
                }
                if (c.BlockSize > 32768)
                {
                    throw new DineroOptionException($"level {level} {id}cache sub-block size must be <= 32768");
                }
                if ((long)c.BlockSize * c.Assoc > c.Size)
                {
                    throw new DineroOptionException($"level {level} {id}cache size < blocksize * associativity");
                }
                var sets = c.Size / ((long)c.BlockSize * c.Assoc);
                if (!BitOperations.IsPow2(sets) || sets * c.BlockSize * c.Assoc != c.Size)
                {
                    throw new DineroOptionException($"level {level} {id}cache: size / (blocksize * associativity) = {c.Size / ((double)c.BlockSize * c.Assoc):0.##} sets; coherence cachesim needs a power of two (choose a power-of-two associativity)");
                }
            }
            if (present == 0)
            {
                throw new DineroOptionException($"no level {level} cache specified");
            }
            if (raw[0, level - 1] is not null && (raw[1, level - 1] is not null || raw[2, level - 1] is not null))
            {
                throw new DineroOptionException($"level {level} has i or d together with u cache parameters");
            }
            if (level > 1 && raw[0, level - 2] is not null && raw[0, level - 1] is null)
            {
                throw new DineroOptionException($"level {level - 1} cache is unified, level {level} is not");
            }
        }
        for (var level = 1; level <= maxLevel; level++)
        {
            for (var role = 0; role < 3; role++)
            {
                if (raw[role, level - 1] is { } c)
                {
                    sim[level, (CacheRole)role] = new CacheLevelConfig
                    {
                        SizeBytes = c.Size,
                        BlockSize = c.BlockSize,
                        SubBlockSize = c.SubBlockSize,
                        Associativity = c.Assoc,
                        Replacement = (ReplacementKind)c.Repl,
                        WriteAllocate = role == 1 ? WriteAllocateKind.Always : (WriteAllocateKind)c.Walloc,
                        WriteBack = role == 1 ? WriteBackKind.Always : (WriteBackKind)c.Wback,
                    };
                }
            }
        }
    }

    private static string RequireArg(string opt, string? arg) =>
        arg is null || (arg.Length > 0 && arg[0] == '-')
            ? throw new DineroOptionException($"\"{opt}\" option requires additional argument")
            : arg;

    private static DineroOptionException Bad(string opt, string arg) => new($"bad option: {opt} {arg}");

    /// <summary>Dinero's scaled unsigned integer: decimal digits and an optional k, m or g (×2^10, 2^20, 2^30).</summary>
    private static long Unsigned(string opt, string arg, bool scaled)
    {
        var end = arg.Length;
        var shift = 0;
        if (scaled && end > 0)
        {
            shift = char.ToLowerInvariant(arg[end - 1]) switch { 'k' => 10, 'm' => 20, 'g' => 30, _ => 0 };
            if (shift != 0)
            {
                end--;
            }
        }
        if (end == 0 || !ulong.TryParse(arg.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v > (ulong.MaxValue >> 34))
        {
            throw Bad(opt, arg);
        }
        return (long)(v << shift);
    }

    private static long Pow2(string opt, string arg)
    {
        var v = Unsigned(opt, arg, scaled: true);
        return v == 0 || !BitOperations.IsPow2(v) ? throw new DineroOptionException($"option {opt} arg must be power of 2") : v;
    }

    private static ulong HexAddress(string opt, string arg)
    {
        var s = arg.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? arg[2..] : arg;
        return ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(opt, arg);
    }

    /// <summary>The known option closest to <paramref name="opt"/> by edit distance, when close enough.</summary>
    private static string? Suggest(string opt)
    {
        var candidates = new List<string>(GlobalNames);
        foreach (var n in PerCacheNames)
        {
            candidates.Add($"-l1-d{n}");
        }
        string? best = null;
        var bestDistance = int.MaxValue;
        var probe = opt;
        if (opt.Length > 4 && opt[1] == 'l' && char.IsAsciiDigit(opt[2]) && opt[3] == '-')
        {
            probe = "-l1-d" + opt[5..];
        }
        foreach (var c in candidates)
        {
            var d = Distance(probe, c);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        if (best is not null && probe != opt && best.StartsWith("-l1-d", StringComparison.Ordinal))
        {
            best = opt[..5] + best[5..];
        }
        return bestDistance <= Math.Max(2, opt.Length / 4) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
