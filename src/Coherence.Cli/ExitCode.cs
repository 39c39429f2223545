namespace Coherence.Cli;

/// <summary>Exit codes of the <c>coherence</c> command.</summary>
public enum ExitCode
{
    /// <summary>Every expectation held.</summary>
    Success = 0,

    /// <summary>At least one expectation failed (a violation or a wrong verdict).</summary>
    Violation = 1,

    /// <summary>Bad input: a file that does not parse, an unknown option value, a missing path.</summary>
    BadInput = 2,
}
