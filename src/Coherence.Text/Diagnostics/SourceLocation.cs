namespace Coherence.Text.Diagnostics;

/// <summary>
/// A position in a source file: the file name as the caller gave it, and a 1-based line and column.
/// Columns count UTF-16 code units from the start of the line; a tab counts as one column.
/// </summary>
/// <param name="File">The file name used in messages (not opened by the parser).</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Column">The 1-based column number.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <summary>The location of nodes built in code rather than parsed from a file.</summary>
    public static SourceLocation Unknown { get; } = new("<unknown>", 0, 0);

    /// <summary>Formats the location as <c>file:line:col</c>.</summary>
    /// <returns>The location in the conventional compiler format.</returns>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
