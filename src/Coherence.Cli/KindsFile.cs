using System.Globalization;

namespace Coherence.Cli;

/// <summary>The verdict a herdtools7 <c>kinds.txt</c> line states for a test's first condition.</summary>
internal enum Kind
{
    Allowed,
    Forbidden,
    Required,
}

/// <summary>Reads a herdtools7 <c>kinds.txt</c>: one test per line, its name then Allow/Allowed/Forbid/Forbidden/Required.</summary>
internal static class KindsFile
{
    public static Dictionary<string, Kind> Read(string path, List<string> errors)
    {
        var kinds = new Dictionary<string, Kind>(StringComparer.Ordinal);
        var n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:{n}:1: expected a test name and a kind (Allow, Allowed, Forbid, Forbidden, Required)"));
                continue;
            }
            Kind? kind = parts[1].ToLowerInvariant() switch
            {
                "allow" or "allowed" => Kind.Allowed,
                "forbid" or "forbidden" => Kind.Forbidden,
                "required" => Kind.Required,
                _ => null,
            };
            if (kind is null)
            {
                var col = raw.IndexOf(parts[1], StringComparison.Ordinal) + 1;
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:{n}:{col}: '{parts[1]}' is not a kind: expected Allow, Allowed, Forbid, Forbidden or Required"));
                continue;
            }
            kinds[parts[0]] = kind.Value;
        }
        return kinds;
    }
}
