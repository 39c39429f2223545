using System.CommandLine;
using System.Text.RegularExpressions;

namespace Coherence.Cli;

/// <summary>"Did you mean" for a mistyped command or option: the closest known name within a small edit distance.</summary>
internal static partial class Suggestions
{
    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();

    public static string? For(string message, RootCommand root)
    {
        if (!message.Contains("Unrecognized", StringComparison.Ordinal))
        {
            return null;
        }
        var m = Quoted().Match(message);
        if (!m.Success)
        {
            return null;
        }
        var typo = m.Groups[1].Value;
        var names = new List<string>();
        foreach (var c in root.Subcommands)
        {
            names.Add(c.Name);
            foreach (var o in c.Options)
            {
                names.Add(o.Name);
            }
        }
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var n in names)
        {
            var d = Distance(typo, n);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = n;
            }
        }
        return bestDistance <= Math.Max(1, typo.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
