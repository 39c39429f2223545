using System.Globalization;
using System.Text;

namespace Coherence.Checking.Strategies;

/// <summary>One decision: the option taken out of how many.</summary>
/// <param name="Chosen">The option taken.</param>
/// <param name="Count">How many there were.</param>
public readonly record struct Decision(int Chosen, int Count);

/// <summary>
/// Replay tokens: the decisions of one execution, written <c>c1.N.d0.d1...</c> (version 1, number of decisions,
/// then each option taken, base 36). Replaying serves them in order and checks each is legal.
/// </summary>
public static class ReplayToken
{
    /// <summary>Encodes decisions.</summary>
    public static string Encode(IReadOnlyList<Decision> decisions)
    {
        var sb = new StringBuilder("c1.");
        sb.Append(decisions.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var d in decisions)
        {
            sb.Append('.');
            sb.Append(ToBase36(d.Chosen));
        }
        return sb.ToString();
    }

    /// <summary>Decodes a token; returns false with a reason when it is malformed.</summary>
    public static bool TryDecode(string token, out int[] choices, out string error)
    {
        choices = [];
        var parts = token.Trim().Split('.');
        if (parts.Length < 2 || parts[0] != "c1")
        {
            error = "a replay token starts with 'c1.' followed by the number of decisions";
            return false;
        }
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n != parts.Length - 2)
        {
            error = $"the token says it has {parts[1]} decisions but carries {parts.Length - 2}";
            return false;
        }
        choices = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (!TryFromBase36(parts[i + 2], out choices[i]))
            {
                error = $"decision {i} ('{parts[i + 2]}') is not a base-36 number";
                return false;
            }
        }
        error = "";
        return true;
    }

    private static string ToBase36(int v)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        if (v == 0)
        {
            return "0";
        }
        var sb = new StringBuilder();
        while (v > 0)
        {
            sb.Insert(0, digits[v % 36]);
            v /= 36;
        }
        return sb.ToString();
    }

    private static bool TryFromBase36(string s, out int v)
    {
        v = 0;
        if (s.Length == 0 || s.Length > 6)
        {
            return false;
        }
        foreach (var c in s)
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : -1;
            if (d < 0)
            {
                return false;
            }
            v = v * 36 + d;
        }
        return true;
    }
}
