using Coherence.Text.Diagnostics;
using Coherence.Text.Litmus.Syntax;

namespace Coherence.Text.Litmus.Parsing;

/// <summary>The result of parsing a litmus file.</summary>
/// <param name="Test">The syntax tree; non-null exactly when <see cref="Diagnostics"/> is empty.</param>
/// <param name="Diagnostics">Every problem found, ordered by line and column.</param>
public sealed record LitmusParseResult(LitmusTest? Test, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Whether the file parsed without diagnostics (then <see cref="Test"/> is non-null).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Test))]
    public bool Succeeded => Test is not null;
}

/// <summary>
/// Parses herdtools7 litmus files (X86, X86_64 and AArch64) with Coherence's extensions: cache-maintenance
/// instructions and crash conditions. See <c>docs/litmus.md</c> for the accepted syntax.
/// </summary>
public static class LitmusParser
{
    /// <summary>
    /// Parses a litmus file. Never throws on bad input: every problem becomes a diagnostic, and the parser goes on
    /// after each one to report as many as it can.
    /// </summary>
    /// <param name="text">The file's contents.</param>
    /// <param name="fileName">The name diagnostics use for the file.</param>
    /// <returns>The tree, or the diagnostics.</returns>
    public static LitmusParseResult Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new DiagnosticBag();
        var test = new Parser(text, fileName, diagnostics).ParseTest();
        if (diagnostics.Count > 0)
        {
            var sorted = diagnostics.Items
                .OrderBy(d => d.Location.Line)
                .ThenBy(d => d.Location.Column)
                .ToArray();
            return new LitmusParseResult(null, sorted);
        }

        return new LitmusParseResult(test, []);
    }
}
