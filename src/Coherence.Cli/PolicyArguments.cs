using Coherence.Checking.Scenarios;

namespace Coherence.Cli;

/// <summary>Parses <c>facility=variant</c> (and <c>facility=a,b,c</c>) against the policy registry.</summary>
internal static class PolicyArguments
{
    public static (string Facility, string[] Variants)? Parse(string text, TextWriter stderr, bool many = false)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            stderr.WriteLine($"'{text}': expected facility=variant{(many ? ",variant..." : "")}");
            return null;
        }
        var name = text[..eq];
        var facility = Policies.Find(name);
        if (facility is null)
        {
            stderr.WriteLine($"unknown policy facility '{name}': expected one of {string.Join(", ", Policies.All.Select(f => f.Name))}");
            return null;
        }
        var variants = text[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!many && variants.Length != 1)
        {
            stderr.WriteLine($"'{text}': --policy takes one variant; use --compare for several");
            return null;
        }
        foreach (var v in variants)
        {
            if (!facility.Variants.Contains(v))
            {
                stderr.WriteLine($"'{v}' is not a variant of {name}: expected one of {string.Join(", ", facility.Variants)}");
                return null;
            }
        }
        return (name, variants);
    }
}
