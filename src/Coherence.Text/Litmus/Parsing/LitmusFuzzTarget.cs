using System.Text;
using Coherence.Text.Litmus.Printing;

namespace Coherence.Text.Litmus.Parsing;

/// <summary>
/// The fuzz target of the litmus parser, in the shape SharpFuzz drives (<c>Fuzzer.Run(span =&gt; Fuzz(span))</c>)
/// and that a unit test runs over mutated example files.
/// </summary>
public static class LitmusFuzzTarget
{
    /// <summary>The file name diagnostics carry for fuzz inputs.</summary>
    public const string FileName = "fuzz.litmus";

    /// <summary>
    /// Decodes the bytes as UTF-8 (invalid sequences become U+FFFD), parses them, and checks the parser's promises.
    /// Any exception that leaves this method is a bug: either the parser threw, or it broke a promise, reported
    /// as <see cref="InvalidOperationException"/>. The promises: every diagnostic names this file with a line and
    /// column of at least 1; a test comes back exactly when there are no diagnostics; and a test prints to text
    /// that parses without diagnostics to an equal test, which prints to the same text.
    /// </summary>
    /// <param name="data">The input bytes.</param>
    public static void Fuzz(ReadOnlySpan<byte> data)
    {
        var text = Encoding.UTF8.GetString(data);
        var result = LitmusParser.Parse(text, FileName);
        foreach (var diagnostic in result.Diagnostics)
        {
            if (diagnostic.Location.File != FileName || diagnostic.Location.Line < 1 || diagnostic.Location.Column < 1
                || string.IsNullOrEmpty(diagnostic.Message))
            {
                throw new InvalidOperationException($"malformed diagnostic: {diagnostic}");
            }
        }

        if (result.Test is null)
        {
            if (result.Diagnostics.Count == 0)
            {
                throw new InvalidOperationException("no test and no diagnostic");
            }

            return;
        }

        if (result.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException("a test together with diagnostics");
        }

        var printed = LitmusPrinter.Print(result.Test);
        var reparsed = LitmusParser.Parse(printed, FileName);
        if (!reparsed.Succeeded)
        {
            throw new InvalidOperationException(
                $"printed test does not parse: {reparsed.Diagnostics[0]}\n{printed}");
        }

        if (!reparsed.Test.Equals(result.Test))
        {
            throw new InvalidOperationException($"printed test parses to a different tree:\n{printed}");
        }

        var reprinted = LitmusPrinter.Print(reparsed.Test);
        if (reprinted != printed)
        {
            throw new InvalidOperationException($"printing is not stable:\n{printed}\n---\n{reprinted}");
        }
    }
}
