namespace Coherence.Text.Litmus.Syntax;

/// <summary>Reads the values of the info lines that Coherence interprets.</summary>
public static class InfoValues
{
    /// <summary>Reads an <c>Expected=</c> value: <c>Allowed</c> or <c>Forbidden</c> (case-insensitive).</summary>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>The expectation, or <see langword="null"/> when absent or not recognised.</returns>
    public static Expectation? ParseExpectation(string? value) => value?.ToUpperInvariant() switch
    {
        "ALLOWED" => Expectation.Allowed,
        "FORBIDDEN" => Expectation.Forbidden,
        _ => null,
    };

    /// <summary>Reads a <c>Persistence=</c> value: <c>ADR</c> or <c>eADR</c> (case-insensitive).</summary>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>The domain, or <see langword="null"/> when absent or not recognised.</returns>
    public static PersistenceDomain? ParsePersistence(string? value) => value?.ToUpperInvariant() switch
    {
        "ADR" => PersistenceDomain.Adr,
        "EADR" => PersistenceDomain.Eadr,
        "NONE" => PersistenceDomain.None,
        _ => null,
    };

    /// <summary>Splits a <c>CacheLine=</c> value into location names (separated by blanks or commas).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The names in order.</returns>
    public static SyntaxList<string> SplitCacheLine(string value) =>
        SyntaxList.From(value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Whether a string is a valid location name (a letter or <c>_</c>, then letters, digits, <c>_</c>).</summary>
    /// <param name="name">The candidate.</param>
    /// <returns><see langword="true"/> for a valid name.</returns>
    public static bool IsSymbol(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
