namespace Coherence.Text.Diagnostics;

/// <summary>
/// Collects diagnostics in the order they are reported, so that a parser can go on after an error and report
/// everything it finds in one pass.
/// </summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> items = [];

    /// <summary>The diagnostics reported so far, in report order.</summary>
    public IReadOnlyList<Diagnostic> Items => items;

    /// <summary>The number of diagnostics reported so far.</summary>
    public int Count => items.Count;

    /// <summary>Reports a diagnostic.</summary>
    /// <param name="location">Where the problem was found.</param>
    /// <param name="message">What was expected.</param>
    public void Report(SourceLocation location, string message) => items.Add(new Diagnostic(location, message));
}
