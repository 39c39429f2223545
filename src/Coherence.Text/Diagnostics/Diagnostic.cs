namespace Coherence.Text.Diagnostics;

/// <summary>
/// An error found while reading a source file. Every diagnostic names the place it was found and says what was
/// expected there.
/// </summary>
/// <param name="Location">Where the problem was found.</param>
/// <param name="Message">What was expected (the text never repeats the location).</param>
public sealed record Diagnostic(SourceLocation Location, string Message)
{
    /// <summary>Formats the diagnostic as <c>file:line:col: message</c>.</summary>
    /// <returns>The diagnostic in the conventional compiler format.</returns>
    public override string ToString() => $"{Location}: {Message}";
}
