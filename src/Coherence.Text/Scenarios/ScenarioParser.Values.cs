using System.Globalization;
using System.Text;

namespace Coherence.Text.Scenarios;

public sealed partial class ScenarioParser
{
    private ulong ParseNumber(ScenarioToken t)
    {
        if (t.Kind != ScenarioTokenKind.Number || !TryNumber(t.Text, out var v))
        {
            throw Fail(t, t.Kind == ScenarioTokenKind.Number ? ScenarioMessages.BadNumber(t.Text) : ScenarioMessages.Expected("a number", Describe(t)));
        }
        return v;
    }

    private static bool TryNumber(string text, out ulong value)
    {
        var s = text.Replace("_", "", StringComparison.Ordinal);
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && s.Length > 2;
        }
        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private ulong ParseSize(ScenarioToken t)
    {
        if (t.Kind != ScenarioTokenKind.Number)
        {
            throw Fail(t, ScenarioMessages.Expected("a size", Describe(t)));
        }
        var text = t.Text.Replace("_", "", StringComparison.Ordinal);
        var i = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.Length : 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        var unit = text[i..].ToLowerInvariant();
        var shift = unit switch
        {
            "" or "b" => 0,
            "k" or "kib" or "kb" => 10,
            "m" or "mib" or "mb" => 20,
            "g" or "gib" or "gb" => 30,
            "t" or "tib" or "tb" => 40,
            _ => -1,
        };
        if (shift < 0 || !TryNumber(text[..i], out var n) || (shift > 0 && n > (ulong.MaxValue >> shift)))
        {
            throw Fail(t, ScenarioMessages.BadSize(t.Text));
        }
        return n << shift;
    }

    private byte ParseByte(ScenarioToken t)
    {
        var v = ParseNumber(t);
        if (v > 255)
        {
            throw Fail(t, ScenarioMessages.BadValue("byte", t.Text, "0 to 255"));
        }
        return (byte)v;
    }

    private int ParseCpu(ScenarioToken t)
    {
        if (t.Kind != ScenarioTokenKind.Word || !t.Text.StartsWith("cpu", StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(t.Text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 1023)
        {
            throw Fail(t, ScenarioMessages.BadCpu(t.Text));
        }
        return n;
    }

    /// <summary>An address: a number, or <c>range</c> / <c>range+offset</c> naming a declared range.</summary>
    private ulong ParseAddress()
    {
        var t = Next();
        if (t.Kind == ScenarioTokenKind.Word)
        {
            if (!ranges.TryGetValue(t.Text, out var r))
            {
                throw Fail(t, ScenarioMessages.UnknownRange(t.Text));
            }
            ulong offset = 0;
            if (Peek.Kind == ScenarioTokenKind.Plus)
            {
                pos++;
                offset = ParseNumber(Next());
            }
            return r.Start + offset;
        }
        return ParseNumber(t);
    }

    /// <summary>Data: <c>"text"</c>, a hex byte string <c>0x0a0b</c> (bytes in written order), or either followed
    /// by <c>* N</c> to repeat it N times.</summary>
    private byte[] ParseData()
    {
        var t = Next();
        byte[] bytes;
        if (t.Kind == ScenarioTokenKind.String)
        {
            bytes = Encoding.Latin1.GetBytes(t.Text);
        }
        else if (t.Kind == ScenarioTokenKind.Number && t.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = t.Text[2..].Replace("_", "", StringComparison.Ordinal);
            if (hex.Length == 0 || hex.Length % 2 != 0)
            {
                throw Fail(t, ScenarioMessages.OddHex(t.Text));
            }
            try
            {
                bytes = Convert.FromHexString(hex);
            }
            catch (FormatException)
            {
                throw Fail(t, ScenarioMessages.BadNumber(t.Text));
            }
        }
        else
        {
            throw Fail(t, ScenarioMessages.Expected("data (\"text\" or 0x hex bytes)", Describe(t)));
        }
        if (Peek.Kind == ScenarioTokenKind.Star)
        {
            pos++;
            var countToken = Peek;
            var count = ParseNumber(Next());
            if (count == 0 || count * (ulong)bytes.Length > 1 << 20)
            {
                throw Fail(countToken, ScenarioMessages.BadValue("repeat count", countToken.Text, "1 or more, at most 1 MiB of data"));
            }
            var repeated = new byte[(int)count * bytes.Length];
            for (var i = 0; i < (int)count; i++)
            {
                bytes.CopyTo(repeated, i * bytes.Length);
            }
            bytes = repeated;
        }
        if (bytes.Length == 0)
        {
            throw Fail(t, ScenarioMessages.Expected("at least one byte of data", Describe(t)));
        }
        return bytes;
    }
}
